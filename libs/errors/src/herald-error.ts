import type { ErrorCode, FieldError } from '@herald/contracts';

export interface HeraldErrorOptions {
  /** Each bad field, for `validation_failed`. */
  details?: FieldError[];
  /** Seconds a client should wait before retrying (`Retry-After`). */
  retryAfterSeconds?: number;
  /** What went wrong underneath; logged at debug level, never sent to a client. */
  cause?: unknown;
}

/**
 * A failure a caller can act on, with its stable wire `code`. Services and
 * libraries throw these and never pick an HTTP status or a close code: the
 * api's exception filter maps the code to HTTP in one table, the gateway to
 * a close code in one function. The message is what a client may read, so it
 * never carries internals; put those in `cause`.
 */
export class HeraldError extends Error {
  readonly details?: FieldError[];
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: HeraldErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
