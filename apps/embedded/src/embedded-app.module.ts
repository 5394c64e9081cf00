import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from '@herald/auth';
import { BusModule } from '@herald/bus';
import { ConfigModule, type HeraldConfig } from '@herald/config';
import { DatabaseModule } from '@herald/database';
import { loggerParams, ObservabilityModule } from '@herald/observability';
import { ApiModule } from '../../api/src/api.module.js';
import { GatewayModule } from '../../gateway/src/gateway.module.js';
import { WorkerModule } from '../../worker/src/worker.module.js';

/**
 * `npm start`: api, gateway and worker in one process on one port (the
 * worker's job queue, pg-boss, runs on the same PGlite). Without
 * DATABASE_URL the database is PGlite; without REDIS_URL the bus is
 * in-process. The same modules run on real Postgres and Redis when set.
 */
@Module({})
export class EmbeddedAppModule {
  static forRoot(config: HeraldConfig, options: { inMemory?: boolean } = {}): DynamicModule {
    return {
      module: EmbeddedAppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config, 'embedded')),
        DatabaseModule.forRoot({ migrate: true, inMemory: options.inMemory }),
        BusModule.forRoot('herald-embedded'),
        ObservabilityModule,
        AuthModule,
        ApiModule,
        GatewayModule,
        WorkerModule,
      ],
    };
  }
}
