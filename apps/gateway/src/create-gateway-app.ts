import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { Logger } from 'nestjs-pino';
import type { HeraldConfig } from '@herald/config';
import { GatewayAppModule } from './gateway-app.module.js';

/** Builds a gateway app (not listening yet); main.ts and the tests share it. */
export async function createGatewayApp(config: HeraldConfig): Promise<INestApplication> {
  const app = await NestFactory.create(GatewayAppModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // Frames are parsed by InboundHandler; Nest's own parser would only parse them twice.
  app.useWebSocketAdapter(new WsAdapter(app, { messageParser: () => undefined }));
  app.enableShutdownHooks();
  return app;
}
