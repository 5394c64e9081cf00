/** Stable machine-readable error codes of the HTTP API and of `error` frames' HTTP twins. */
export const ErrorCode = {
  ValidationFailed: 'validation_failed',
  Unauthorized: 'unauthorized',
  TokenExpired: 'token_expired',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  IdempotencyConflict: 'idempotency_conflict',
  PayloadTooLarge: 'payload_too_large',
  RateLimited: 'rate_limited',
  Unavailable: 'unavailable',
  Internal: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One bad field of a `validation_failed` answer. */
export interface FieldError {
  field: string;
  message: string;
}

/** Body of every HTTP error answer. */
export interface ApiError {
  statusCode: number;
  error: string;
  code: ErrorCode;
  message: string;
  details?: FieldError[];
}
