import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { ErrorCode, type ApiError } from '@herald/contracts';
import { ApiException } from './api.exception.js';
import { isDatabaseUnavailable } from './database-unavailable.js';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.IdempotencyConflict,
  413: ErrorCode.PayloadTooLarge,
  429: ErrorCode.RateLimited,
  503: ErrorCode.Unavailable,
};

/**
 * The one place errors become HTTP answers `{ statusCode, error, code,
 * message }`. A lost database is 503 `unavailable` with Retry-After; anything
 * unknown is logged once and answered as a plain 500.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (exception instanceof ApiException) {
      for (const [name, value] of Object.entries(exception.headers)) res.setHeader(name, value);
    }
    if (body.code === ErrorCode.Unavailable) res.setHeader('Retry-After', '5');
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ApiError {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const r = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
      const code = (r.code as ErrorCode | undefined) ?? CODE_BY_STATUS[status] ?? ErrorCode.Internal;
      const message = typeof r.message === 'string' ? r.message : exception.message;
      const details = r.details as ApiError['details'];
      return { statusCode: status, error: statusName(status), code, message, ...(details ? { details } : {}) };
    }
    const bodyParser = bodyParserError(exception);
    if (bodyParser) return bodyParser;
    if (isDatabaseUnavailable(exception)) {
      return { statusCode: 503, error: statusName(503), code: ErrorCode.Unavailable, message: 'database unavailable, retry later' };
    }
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return { statusCode: 500, error: statusName(500), code: ErrorCode.Internal, message: 'internal error' };
  }
}

function statusName(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  return name ? name.split('_').map((w) => w[0] + w.slice(1).toLowerCase()).join(' ') : 'Error';
}

/** express's body-parser throws plain errors with a `type`; give them our shape. */
function bodyParserError(exception: unknown): ApiError | undefined {
  const type = (exception as { type?: string } | null)?.type;
  if (type === 'entity.too.large') {
    return { statusCode: 413, error: statusName(413), code: ErrorCode.PayloadTooLarge, message: 'request body is too large' };
  }
  if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return { statusCode: 400, error: statusName(400), code: ErrorCode.ValidationFailed, message: 'request body is not valid JSON' };
  }
  return undefined;
}
