import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import type { HeraldConfig } from '@herald/config';
import { LeanWsAdapter } from './connection/lean-ws-adapter.js';
import { GatewayAppModule } from './gateway-app.module.js';

/** Builds a gateway app (not listening yet); main.ts and the tests share it. */
export async function createGatewayApp(config: HeraldConfig): Promise<INestApplication> {
  const app = await NestFactory.create(GatewayAppModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useWebSocketAdapter(new LeanWsAdapter(app));
  app.enableShutdownHooks();
  return app;
}
