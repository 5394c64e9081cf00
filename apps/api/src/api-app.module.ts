import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from '@herald/auth';
import { BusModule } from '@herald/bus';
import { ConfigModule, type HeraldConfig } from '@herald/config';
import { DatabaseModule } from '@herald/database';
import { loggerParams, ObservabilityModule } from '@herald/observability';
import { ApiModule } from './api.module.js';

/** The api process. Outside production it applies pending migrations on boot. */
@Module({})
export class ApiAppModule {
  static forRoot(config: HeraldConfig): DynamicModule {
    return {
      module: ApiAppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config, 'api')),
        DatabaseModule.forRoot({ migrate: config.env !== 'production' }),
        BusModule.forRoot('herald-api'),
        ObservabilityModule,
        AuthModule,
        ApiModule,
      ],
    };
  }
}
