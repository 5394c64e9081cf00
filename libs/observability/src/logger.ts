import type { Params } from 'nestjs-pino';
import { stdSerializers } from 'pino';
import type { HeraldConfig } from '@herald/config';
import { maskUrl } from './redact.js';

/**
 * The app logger (nestjs-pino over pino): JSON lines, credentials masked
 * everywhere they can appear (Authorization header, ?token= and ?ticket= in
 * URLs). Requests are logged by logRequests (request-log.ts), not by
 * nestjs-pino's middleware: `forRoutes: []` applies it to no route.
 */
export function loggerParams(config: Pick<HeraldConfig, 'logLevel'>, app: string): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      base: { app },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["sec-websocket-protocol"]'], censor: '***' },
      // A request is logged by its line only, read straight from the request
      // (unwrapped: pino's own request serializer would first copy every
      // header, a tenth of the api's CPU per POST when pino-http logged).
      // `res` is its status only: Fastify writes headers straight to the
      // socket, so pino's response serializer found none. `err` is pino's.
      wrapSerializers: false,
      serializers: {
        req: (req: { id?: unknown; method: string; url: string; originalUrl?: string }) => ({ id: req.id, method: req.method, url: maskUrl(req.originalUrl ?? req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: stdSerializers.err,
      },
    },
    forRoutes: [],
  };
}
