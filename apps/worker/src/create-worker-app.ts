import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { HeraldConfig } from '@herald/config';
import { WorkerAppModule } from './worker-app.module.js';

/** Builds a worker app (not listening yet); main.ts and the tests share it. */
export async function createWorkerApp(config: HeraldConfig): Promise<INestApplication> {
  const app = await NestFactory.create(WorkerAppModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}
