import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { BusModule } from '@herald/bus';
import { ConfigModule, type HeraldConfig } from '@herald/config';
import { DatabaseModule } from '@herald/database';
import { loggerParams, ObservabilityModule } from '@herald/observability';
import { WorkerModule } from './worker.module.js';

/**
 * The worker process: durable jobs (web push, webhooks, sends) off the
 * request path. It serves only /healthz, /readyz and /metrics. Outside
 * production it applies pending migrations on boot, as the api does.
 */
@Module({})
export class WorkerAppModule {
  static forRoot(config: HeraldConfig): DynamicModule {
    return {
      module: WorkerAppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config, 'worker')),
        DatabaseModule.forRoot({ migrate: config.env !== 'production' }),
        BusModule.forRoot('herald-worker'),
        ObservabilityModule,
        WorkerModule,
      ],
    };
  }
}
