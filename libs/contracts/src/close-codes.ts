/** WebSocket close codes of the Herald protocol. */
export const CloseCode = {
  /** Normal closure. */
  Normal: 1000,
  /** The handshake broke the protocol (a malformed `since` or `recent`): fix the client. */
  PolicyViolation: 1008,
  /** An inbound frame exceeded the size limit: fix the client. */
  FrameTooBig: 1009,
  /** Internal error: reconnect with backoff. */
  InternalError: 1011,
  /** Service restart (drain): reconnect with jitter and resume. */
  ServiceRestart: 1012,
  /** Node full: reconnect with backoff. */
  TryAgainLater: 1013,
  /** Credentials missing or invalid: stop, get new credentials. */
  Unauthorized: 4001,
  /** Token expired: refresh the token and reconnect. */
  TokenExpired: 4002,
  /** Origin not allowed or ticket reused: stop. */
  Forbidden: 4003,
  /** Too many inbound frames: reconnect later. */
  RateLimited: 4008,
  /** Send buffer over the limit: reconnect and resume. */
  SlowConsumer: 4009,
  /** Too many connections for this user: stop or close another tab. */
  TooManyConnections: 4029,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which a client must not reconnect on its own. */
export const TERMINAL_CLOSE_CODES: readonly number[] = [
  CloseCode.Unauthorized,
  CloseCode.Forbidden,
  CloseCode.TooManyConnections,
  CloseCode.FrameTooBig,
  // The handshake itself was malformed: the same request would fail again.
  CloseCode.PolicyViolation,
];
