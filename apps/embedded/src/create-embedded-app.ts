import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { HeraldConfig } from '@herald/config';
import { logRequests } from '@herald/observability';
import { LeanWsAdapter } from '../../gateway/src/connection/lean-ws-adapter.js';
import { configureHttp } from '../../api/src/bootstrap/configure-http.js';
import { createHttpAdapter } from '../../api/src/bootstrap/http-adapter.js';
import { EmbeddedAppModule } from './embedded-app.module.js';

export async function createEmbeddedApp(config: HeraldConfig, options: { inMemory?: boolean } = {}): Promise<INestApplication> {
  const app = await NestFactory.create(EmbeddedAppModule.forRoot(config, options), createHttpAdapter(config), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  logRequests(app);
  app.useWebSocketAdapter(new LeanWsAdapter(app));
  configureHttp(app);
  return app;
}
