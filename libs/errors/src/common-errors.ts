import { ErrorCode, type FieldError } from '@herald/contracts';
import { HeraldError } from './herald-error.js';

/** A resource that does not exist, or that belongs to someone else (the answer is the same). */
export class NotFoundError extends HeraldError {
  constructor(what = 'notification') {
    super(ErrorCode.NotFound, `${what} not found`);
  }
}

/** Input that breaks the contract; each bad field is named. */
export class ValidationError extends HeraldError {
  constructor(message: string, details: FieldError[]) {
    super(ErrorCode.ValidationFailed, message, { details });
  }

  /** One bad field, described once for the message and the details. */
  static field(field: string, problem: string): ValidationError {
    return new ValidationError(`${field} ${problem}`, [{ field, message: problem }]);
  }
}

/** The caller is known but may not do this. */
export class ForbiddenError extends HeraldError {
  constructor(message: string) {
    super(ErrorCode.Forbidden, message);
  }
}

/** A budget is spent; retry after the given seconds. */
export class RateLimitedError extends HeraldError {
  constructor(message: string, retryAfterSeconds: number) {
    super(ErrorCode.RateLimited, message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) });
  }
}

/** Postgres, Redis or another backing service cannot answer now; retry later. */
export class UnavailableError extends HeraldError {
  constructor(message: string, cause?: unknown) {
    super(ErrorCode.Unavailable, message, { retryAfterSeconds: 5, cause });
  }
}
