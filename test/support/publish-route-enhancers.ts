import { expect } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { ApplicationConfig } from '@nestjs/core';
import { JwtAuthGuard } from '@herald/auth';
import { HttpExceptionFilter } from '../../apps/api/src/errors/http-exception.filter.js';

/**
 * The app's global enhancers are the ones the lean publish handler
 * (apps/api/src/notifications/publish-route.ts) runs in Nest's place: one
 * guard, the instance it runs; one pipe and one filter, the ones it is
 * given; no interceptor, and nothing request-scoped. Read from Nest's own
 * record of them (internal, hence the cast), for every app that serves the
 * route: the api and embedded mode.
 */
export function expectOnlyEnhancersTheLeanPublishRuns(app: INestApplication): void {
  const config = (app as unknown as { config: ApplicationConfig }).config;
  expect(config.getGlobalGuards()).toHaveLength(1);
  expect(config.getGlobalGuards()[0]).toBe(app.get(JwtAuthGuard));
  expect(config.getGlobalInterceptors()).toEqual([]);
  // The pipe and filter configureHttp builds and hands the handler (their classes: the instances are not reachable from here).
  expect(config.getGlobalPipes().map((pipe) => pipe.constructor.name)).toEqual(['SafeInputValidationPipe']);
  expect(config.getGlobalFilters()).toEqual([expect.any(HttpExceptionFilter)]);
  for (const requestScoped of [config.getGlobalRequestGuards(), config.getGlobalRequestInterceptors(), config.getGlobalRequestPipes(), config.getGlobalRequestFilters()]) {
    expect(requestScoped).toEqual([]);
  }
}
