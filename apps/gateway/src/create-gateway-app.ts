import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { HTTP_REQUEST_TIMEOUT_MS, type HeraldConfig } from '@herald/config';
import { logRequests } from '@herald/observability';
import { LeanWsAdapter } from './connection/lean-ws-adapter.js';
import { GatewayAppModule } from './gateway-app.module.js';

/**
 * Builds a gateway app (not listening yet); main.ts and the tests share it.
 * Its HTTP is the health routes and the WebSocket upgrade, on Fastify as the
 * api's (no request body is ever read here).
 */
export async function createGatewayApp(config: HeraldConfig): Promise<INestApplication> {
  const app = await NestFactory.create(GatewayAppModule.forRoot(config), new FastifyAdapter({ requestTimeout: HTTP_REQUEST_TIMEOUT_MS }), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  logRequests(app);
  app.useWebSocketAdapter(new LeanWsAdapter(app));
  app.enableShutdownHooks();
  return app;
}
