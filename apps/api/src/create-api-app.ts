import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { HeraldConfig } from '@herald/config';
import { logRequests } from '@herald/observability';
import { ApiAppModule } from './api-app.module.js';
import { configureHttp, type HttpOptions } from './bootstrap/configure-http.js';
import { createHttpAdapter } from './bootstrap/http-adapter.js';

/** Builds an api app (not listening yet); main.ts and the tests share it. */
export async function createApiApp(config: HeraldConfig, http: HttpOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create(ApiAppModule.forRoot(config), createHttpAdapter(config), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  logRequests(app);
  configureHttp(app, http);
  return app;
}
