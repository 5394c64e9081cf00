import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { HTTP_REQUEST_TIMEOUT_MS, type HeraldConfig } from '@herald/config';
import { logRequests } from '@herald/observability';
import { WorkerAppModule } from './worker-app.module.js';

/** Builds a worker app (not listening yet; its HTTP is the health routes, on Fastify as the api's); main.ts and the tests share it. */
export async function createWorkerApp(config: HeraldConfig): Promise<INestApplication> {
  const app = await NestFactory.create(WorkerAppModule.forRoot(config), new FastifyAdapter({ requestTimeout: HTTP_REQUEST_TIMEOUT_MS }), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  logRequests(app);
  app.enableShutdownHooks();
  return app;
}
