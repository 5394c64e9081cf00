import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { TokenVerifierModule } from '@herald/auth';
import { BusModule } from '@herald/bus';
import { ConfigModule, type HeraldConfig } from '@herald/config';
import { DatabaseModule } from '@herald/database';
import { loggerParams, ObservabilityModule } from '@herald/observability';
import { GatewayModule } from './gateway.module.js';

/** The gateway process: reads Postgres, never writes it; meets the api only on the bus. */
@Module({})
export class GatewayAppModule {
  static forRoot(config: HeraldConfig): DynamicModule {
    return {
      module: GatewayAppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config, 'gateway')),
        DatabaseModule.forRoot({ migrate: false }),
        BusModule.forRoot('herald-gateway'),
        ObservabilityModule,
        TokenVerifierModule,
        GatewayModule,
      ],
    };
  }
}
