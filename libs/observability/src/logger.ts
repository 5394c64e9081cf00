import type { Params } from 'nestjs-pino';
import { stdSerializers } from 'pino';
import type { HeraldConfig } from '@herald/config';
import { maskUrl } from './redact.js';

/**
 * pino-http options: JSON lines, credentials masked everywhere they can
 * appear (Authorization header, ?token= and ?ticket= in URLs).
 */
export function loggerParams(config: Pick<HeraldConfig, 'logLevel'>, app: string): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      base: { app },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["sec-websocket-protocol"]'], censor: '***' },
      // pino-http serializes `req` into a child logger on every request, logged
      // or not: headers made that a tenth of the api's CPU per POST, so only
      // the request line is kept, read straight from the request (unwrapped:
      // pino's own request serializer would first copy every header anyway).
      // `res` and `err` are pino's standard serializers, as wrapping gave them.
      wrapSerializers: false,
      serializers: {
        req: (req: { id?: unknown; method: string; url: string; originalUrl?: string }) => ({ id: req.id, method: req.method, url: maskUrl(req.originalUrl ?? req.url) }),
        res: stdSerializers.res,
        err: stdSerializers.err,
      },
      autoLogging: { ignore: (req) => ['/healthz', '/readyz'].includes(req.url ?? '') },
    },
  };
}
