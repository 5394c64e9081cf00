import type { Params } from 'nestjs-pino';
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
      serializers: {
        req: (req: { method: string; url: string; headers: Record<string, unknown> }) => ({
          method: req.method,
          url: maskUrl(req.url),
          headers: req.headers,
        }),
      },
      autoLogging: { ignore: (req) => ['/healthz', '/readyz', '/metrics'].includes(req.url ?? '') },
    },
  };
}
