import { ErrorCode } from '@herald/contracts';
import { HeraldError } from '@herald/errors';

/** The Idempotency-Key was used before with another body (or its first request failed). */
export class IdempotencyConflictError extends HeraldError {
  constructor() {
    super(ErrorCode.IdempotencyConflict, 'Idempotency-Key was already used with a different body');
  }
}
