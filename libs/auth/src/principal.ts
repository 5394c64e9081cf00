import type { JwtPayload } from 'jsonwebtoken';
import { SERVICE_SCOPES } from '@herald/contracts';
import { AuthError, AuthFailure } from './auth.error.js';

/** Who a verified token speaks for. */
export interface Principal {
  /** The user id (or service id) from `sub`. */
  sub: string;
  /** `service` when the token carries a service scope (see SERVICE_SCOPES); such a token is no user. */
  kind: 'user' | 'service';
  scopes: ReadonlySet<string>;
  /**
   * Expiry, whole seconds since the epoch (a fractional `exp` rounded up:
   * expired from that second on); Infinity for an API key, which lives
   * until revoked.
   */
  exp: number;
  /** The public id of the API key this principal came from; unset for a JWT. */
  apiKeyId?: string;
}

/** Claims rules beyond jsonwebtoken's signature, expiry, issuer and audience checks. */
export interface ClaimsPolicy {
  /** Seconds since the epoch, now. */
  nowSec: number;
  /** Seconds of clock skew forgiven, as for `exp`. */
  clockToleranceSec: number;
  /** Longest `exp - iat`; undefined: no limit. */
  maxLifetimeSeconds?: number;
}

/**
 * Claims checks jsonwebtoken does not make: `exp` present, `iat` not in the
 * future (beyond the skew), lifetime within the configured maximum, and a
 * `sub` that fits the user id column. `exp` is rounded up to a whole second:
 * expiry is watched in whole seconds, and a fractional `exp` that some
 * issuers write (`Date.now() / 1000 + 3600`) must still come due.
 */
export function principalFromPayload(payload: JwtPayload | string, policy: ClaimsPolicy): Principal {
  if (typeof payload === 'string') throw new AuthError(AuthFailure.Invalid, 'token payload must be a JSON object');
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) throw new AuthError(AuthFailure.Invalid, 'token has no exp claim');
  if (typeof payload.iat === 'number' && payload.iat > policy.nowSec + policy.clockToleranceSec) {
    throw new AuthError(AuthFailure.Invalid, 'token iat is in the future');
  }
  if (policy.maxLifetimeSeconds !== undefined) {
    if (typeof payload.iat !== 'number') throw new AuthError(AuthFailure.Invalid, 'token has no iat claim and a maximum lifetime is set');
    if (payload.exp - payload.iat > policy.maxLifetimeSeconds) throw new AuthError(AuthFailure.Invalid, 'token lifetime exceeds the maximum');
  }
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub.length < 1 || sub.length > 128) {
    throw new AuthError(AuthFailure.Invalid, 'token sub must be 1-128 characters');
  }
  const scope = typeof payload.scope === 'string' ? payload.scope : '';
  const scopes = new Set(scope.split(' ').filter(Boolean));
  const kind = SERVICE_SCOPES.some((s) => scopes.has(s)) ? 'service' : 'user';
  return { sub, kind, exp: Math.ceil(payload.exp), scopes };
}
