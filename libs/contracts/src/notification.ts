/** Severity of a notification; `info` when a publisher gives none. */
export const SEVERITIES = ['info', 'success', 'warning', 'error'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A stored notification as the REST API and the socket deliver it. */
export interface Notification {
  id: string;
  /** Per-user sequence number: starts at 1, no gaps. */
  seq: number;
  userId: string;
  type: string;
  title: string;
  body: string | null;
  severity: Severity;
  data: Record<string, unknown> | null;
  link: string | null;
  createdAt: string;
  readAt: string | null;
  expiresAt: string | null;
}

/** A live broadcast: reaches connected sockets only, never stored. */
export interface Broadcast {
  id: string;
  type: string;
  title: string;
  body: string | null;
  severity: Severity;
  data: Record<string, unknown> | null;
  createdAt: string;
}

/** One entry of the answer to `POST /v1/notifications`. */
export interface PublishedNotification {
  id: string;
  userId: string;
  seq: number;
  createdAt: string;
}

/** `GET /v1/notifications` answer. */
export interface NotificationPage {
  items: Notification[];
  nextCursor: string | null;
}

/** Stable machine-readable error codes of the HTTP API. */
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

/** Body of every HTTP error answer. */
export interface ApiError {
  statusCode: number;
  error: string;
  code: ErrorCode;
  message: string;
  details?: { field: string; message: string }[];
}
