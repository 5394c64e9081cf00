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

/** The one mapping from an error to a close code; anything unknown is 1011. */
export function closeFor(err: unknown): CloseDecision {
  if (err instanceof AuthError) return BY_FAILURE[err.failure];
  return { code: CloseCode.InternalError, reason: 'internal error', metric: 'internal' };
}
