import type { JwtPayload } from 'jsonwebtoken';
import { isTopicName, isTopicPattern, SERVICE_SCOPES } from '@herald/contracts';
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
  /** Topics the token grants, from its `topics` claim: names and `ns:*` patterns (malformed entries are dropped). */
  topics: readonly string[];
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
  const { sub, exp, claims } = checkClaims(payload, policy);
  // A subscription token names one topic for one user: it must not open a socket or an inbox.
  if (claims.topic !== undefined) throw new AuthError(AuthFailure.Invalid, 'a subscription token is not an access token');
  const scope = typeof claims.scope === 'string' ? claims.scope : '';
  const scopes = new Set(scope.split(' ').filter(Boolean));
  const kind = SERVICE_SCOPES.some((s) => scopes.has(s)) ? 'service' : 'user';
  return { sub, kind, exp, scopes, topics: topicGrants(claims.topics) };
}

/** The checks every token gets (see principalFromPayload); answers its `sub`, its `exp` rounded up, and its claims. */
export function checkClaims(payload: JwtPayload | string, policy: ClaimsPolicy): { sub: string; exp: number; claims: JwtPayload } {
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
  return { sub, exp: Math.ceil(payload.exp), claims: payload };
}

/** The `topics` claim's well-formed entries (names and `ns:*` patterns), at most 1000; anything else grants nothing. */
function topicGrants(claim: unknown): readonly string[] {
  if (!Array.isArray(claim)) return [];
  return claim.filter((t) => isTopicName(t) || isTopicPattern(t)).slice(0, 1000) as string[];
}
