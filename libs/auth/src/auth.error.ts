import { ErrorCode } from '@herald/contracts';
import { HeraldError } from '@herald/errors';

/** Why a credential was refused; the gateway picks its close code by this. */
export const AuthFailure = {
  Missing: 'missing_token',
  Invalid: 'invalid_token',
  Expired: 'token_expired',
  /** A socket ticket that is unknown, already used or stale. */
  Ticket: 'ticket_invalid',
} as const;
export type AuthFailure = (typeof AuthFailure)[keyof typeof AuthFailure];

const WIRE: Record<AuthFailure, { code: ErrorCode; message: string }> = {
  [AuthFailure.Missing]: { code: ErrorCode.Unauthorized, message: 'credentials are missing' },
  [AuthFailure.Invalid]: { code: ErrorCode.Unauthorized, message: 'invalid credentials' },
  [AuthFailure.Expired]: { code: ErrorCode.TokenExpired, message: 'token expired' },
  [AuthFailure.Ticket]: { code: ErrorCode.Forbidden, message: 'ticket reused or expired' },
};

/**
 * A credential was missing, invalid or expired. The message a client sees is
 * fixed per failure; what exactly failed (a wrong audience, a JWKS fetch
 * error) stays in `cause` for debug logs, so a prober learns nothing from it.
 */
export class AuthError extends HeraldError {
  constructor(
    readonly failure: AuthFailure,
    detail?: string,
  ) {
    super(WIRE[failure].code, WIRE[failure].message, { cause: detail });
  }

  /** The detail for a debug log line. */
  get detail(): string | undefined {
    return typeof this.cause === 'string' ? this.cause : undefined;
  }
}
