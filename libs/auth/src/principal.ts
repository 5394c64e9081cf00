import type { JwtPayload } from 'jsonwebtoken';
import { AuthError, AuthFailure } from './auth.error.js';

/** Who a verified token speaks for. */
export interface Principal {
  /** The user id (or service id) from `sub`. */
  sub: string;
  scopes: ReadonlySet<string>;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/**
 * Claims checks jsonwebtoken does not make: `exp` present (the protocol requires it)
 * and a `sub` that fits the user id column.
 */
export function principalFromPayload(payload: JwtPayload | string): Principal {
  if (typeof payload === 'string') throw new AuthError(AuthFailure.Invalid, 'token payload must be a JSON object');
  if (typeof payload.exp !== 'number') throw new AuthError(AuthFailure.Invalid, 'token has no exp claim');
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub.length < 1 || sub.length > 128) {
    throw new AuthError(AuthFailure.Invalid, 'token sub must be 1-128 characters');
  }
  const scope = typeof payload.scope === 'string' ? payload.scope : '';
  return { sub, exp: payload.exp, scopes: new Set(scope.split(' ').filter(Boolean)) };
}
