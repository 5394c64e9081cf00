import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { isProbeRequest } from './probe-paths.js';

/**
 * One line per request, as pino-http wrote it ("request completed", or
 * "request errored" for a 5xx, with `req`, `res` and `responseTime`,
 * through the root logger's serializers, which mask credentials), from
 * Fastify's own hooks.
 *
 * Why not nestjs-pino's request middleware (loggerParams turns it off): it
 * binds each request's logger with AsyncLocalStorage, and on Node 20 the
 * first `run` turns on a promise hook that then costs every promise the
 * process makes; with pino-http behind middie that was about a fifth of the
 * api's CPU per POST (docs/benchmarks.md). What that binding gave, the
 * request's id on lines logged while handling it, is the price.
 */
export function logRequests(app: INestApplication): void {
  const root = PinoLogger.root;
  if (!root) throw new Error('logRequests needs the app logger: import LoggerModule.forRoot(loggerParams(...))');
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  fastify.addHook('onResponse', (request, reply, done) => {
    // Above info (LOG_LEVEL warn, say) the line would be dropped: not built either, nor the URL looked at.
    if (root.isLevelEnabled('info') && !isProbeRequest(request.url)) {
      const line = { req: request, res: reply.raw, responseTime: Math.round(reply.elapsedTime) };
      // As pino-http wrote a 5xx (alerts may key on it): its own message, with an `err`.
      if (reply.statusCode >= 500) root.info({ ...line, err: new Error(`failed with status code ${reply.statusCode}`) }, 'request errored');
      else root.info(line, 'request completed');
    }
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    if (!isProbeRequest(request.url)) root.info({ req: request }, 'request aborted');
    done();
  });
}
