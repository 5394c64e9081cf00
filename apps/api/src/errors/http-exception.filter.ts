import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { HttpServer } from '@nestjs/common';
import { ErrorCode, type ApiError } from '@herald/contracts';
import { HeraldError, UnavailableError } from '@herald/errors';
import { BodyParseError } from './body-parse.error.js';
import type { AuthFailureAudit, AuditedRequest } from './auth-failure-audit.js';
import { isDatabaseUnavailable } from './database-unavailable.js';
import { CODE_BY_STATUS, HTTP_STATUS } from './http-status.js';

/**
 * The one place errors become HTTP answers `{ statusCode, error, code,
 * message }`: domain errors by their code (HTTP_STATUS), Nest's own by their
 * status, a lost database as 503 `unavailable`. `Retry-After` comes from the
 * error. Anything unknown is logged once and answered as a plain 500. A
 * refused credential (401, 403) is also an audit line (AuthFailureAudit).
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  constructor(
    private readonly http: HttpServer,
    private readonly authAudit?: AuthFailureAudit,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    this.answer(ctx.getRequest(), ctx.getResponse(), exception);
  }

  /** Answers `exception` on `res`; also for what runs before Nest's router (the per-address budget's hook). */
  answer(req: AuditedRequest, res: unknown, exception: unknown): void {
    const error = this.toHeraldError(exception);
    const status = HTTP_STATUS[error.code];
    this.authAudit?.record(req, error, status);
    if (error.retryAfterSeconds !== undefined) this.http.setHeader(res, 'Retry-After', String(error.retryAfterSeconds));
    this.http.reply(res, toBody(error), status);
  }

  private toHeraldError(exception: unknown): HeraldError {
    if (exception instanceof HeraldError) return exception;
    if (exception instanceof HttpException) {
      // Nest's own (unknown route, a body parser failure): the text is fixed
      // per code, since a parser's message quotes the request back.
      const code = CODE_BY_STATUS[exception.getStatus()] ?? ErrorCode.Internal;
      return new HeraldError(code, FIXED_MESSAGES[code] ?? 'internal error');
    }
    const body = bodyError(exception);
    if (body) return body;
    if (isDatabaseUnavailable(exception)) return new UnavailableError('database unavailable, retry later', exception);
    this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    return new HeraldError(ErrorCode.Internal, 'internal error');
  }
}

const FIXED_MESSAGES: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.ValidationFailed]: 'request body is not valid JSON',
  [ErrorCode.Unauthorized]: 'credentials are missing',
  [ErrorCode.Forbidden]: 'forbidden',
  [ErrorCode.NotFound]: 'route not found',
  [ErrorCode.PayloadTooLarge]: 'request body is too large',
  [ErrorCode.RateLimited]: 'too many requests',
  [ErrorCode.Unavailable]: 'unavailable, retry later',
};

export function toBody(error: HeraldError): ApiError {
  const statusCode = HTTP_STATUS[error.code];
  return { statusCode, error: statusName(statusCode), code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
}

function statusName(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  return name ? name.split('_').map((w) => w[0] + w.slice(1).toLowerCase()).join(' ') : 'Error';
}

/**
 * A request Fastify refused before any route ran (its body: too large, a
 * wrong Content-Length, not JSON, see json-body.ts; a malformed URL): the
 * status it carries, with our code and fixed text.
 */
export function bodyError(exception: unknown): HeraldError | undefined {
  const { statusCode, code } = (exception ?? {}) as { statusCode?: unknown; code?: unknown };
  if (!(exception instanceof BodyParseError) && !(typeof code === 'string' && code.startsWith('FST_ERR_'))) return undefined;
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  if (statusCode === 413) return new HeraldError(ErrorCode.PayloadTooLarge, FIXED_MESSAGES[ErrorCode.PayloadTooLarge] as string);
  const aboutBody = exception instanceof BodyParseError || (code as string).startsWith('FST_ERR_CTP_');
  return new HeraldError(ErrorCode.ValidationFailed, aboutBody ? (FIXED_MESSAGES[ErrorCode.ValidationFailed] as string) : 'malformed request');
}
