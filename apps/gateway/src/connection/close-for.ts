import { AuthError, AuthFailure } from '@herald/auth';
import { CloseCode } from '@herald/contracts';

/** How a refused or failed socket is closed, and the reason label it is counted under. */
export interface CloseDecision {
  code: CloseCode;
  /** Close reason text: fixed per case, never an error's inner detail. */
  reason: string;
  /** Label of `herald_gateway_auth_failures_total` when the handshake is refused. */
  metric: string;
}

const BY_FAILURE: Record<AuthFailure, CloseDecision> = {
  [AuthFailure.Missing]: { code: CloseCode.Unauthorized, reason: 'credentials missing', metric: AuthFailure.Missing },
  [AuthFailure.Invalid]: { code: CloseCode.Unauthorized, reason: 'invalid credentials', metric: AuthFailure.Invalid },
  [AuthFailure.Expired]: { code: CloseCode.TokenExpired, reason: 'token expired', metric: 'expired' },
  [AuthFailure.Ticket]: { code: CloseCode.Forbidden, reason: 'ticket reused or expired', metric: 'ticket' },
};

/** Handshakes refused for what they are rather than for an error, in the order they are checked. */
export const REFUSAL = {
  Draining: { code: CloseCode.ServiceRestart, reason: 'service restart', metric: 'draining' },
  /** HERALD_MAX_CONNECTIONS reached on this gateway. */
  Full: { code: CloseCode.TryAgainLater, reason: 'gateway full, try again later', metric: 'full' },
  /** HERALD_IP_HANDSHAKES_PER_MINUTE spent by the client's address. */
  RateLimited: { code: CloseCode.RateLimited, reason: 'too many handshakes', metric: 'rate_limited' },
  Origin: { code: CloseCode.Forbidden, reason: 'origin not allowed', metric: 'origin' },
  /** A token with a service scope: its `sub` names a service, not a user who could own a socket. */
  ServiceToken: { code: CloseCode.Forbidden, reason: 'a service token cannot open a socket', metric: 'service_token' },
  TooMany: { code: CloseCode.TooManyConnections, reason: 'too many connections for this user', metric: 'too_many' },
} satisfies Record<string, CloseDecision>;

/** A malformed `since` or `recent`: 1008, with what was wrong as the reason. */
export const invalidRequest = (reason: string): CloseDecision => ({ code: CloseCode.PolicyViolation, reason, metric: 'invalid_request' });

/** The one mapping from an error to a close code; anything unknown is 1011. */
export function closeFor(err: unknown): CloseDecision {
  if (err instanceof AuthError) return BY_FAILURE[err.failure];
  return { code: CloseCode.InternalError, reason: 'internal error', metric: 'internal' };
}
