import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { HeraldError } from '@herald/errors';
import { AuthError, AuthFailure } from './auth.error.js';
import { KeyProvider, verifyOptions } from './key-provider.js';
import { principalFromPayload, type ClaimsPolicy, type Principal } from './principal.js';
import { subscriptionFromPayload, type SubscriptionGrant } from './subscription-token.js';
import { VerifiedTokens } from './verified-tokens.js';

/**
 * The one token check of Herald: the socket handshake, the `auth` frame and
 * the HTTP strategy (passport-jwt) all call verify(), so every path answers
 * the same token the same way; subscription tokens go through the same
 * check with their own claims rules (verifySubscription).
 */
@Injectable()
export class TokenVerifier {
  private readonly keys: KeyProvider;
  private readonly options: jwt.VerifyOptions;
  private readonly maxLifetimeSeconds: number | undefined;
  private readonly verified: VerifiedTokens;

  constructor(@Inject(HERALD_CONFIG) config: HeraldConfig) {
    this.keys = new KeyProvider(config.jwt);
    this.options = verifyOptions(config.jwt, this.keys);
    this.maxLifetimeSeconds = config.jwt.maxLifetimeSeconds;
    this.verified = new VerifiedTokens(this.options.clockTolerance ?? 0);
  }

  verify(token: string | undefined | null): Promise<Principal> {
    return this.check(token, (payload, policy) => principalFromPayload(payload, policy));
  }

  /**
   * A subscription token (see subscriptionFromPayload) presented by
   * `userId` for `topic`: the same keys, algorithms, issuer, audience and
   * claims rules as verify(), then its own.
   */
  verifySubscription(token: string | undefined | null, userId: string, topic: string): Promise<SubscriptionGrant> {
    return this.check(token, (payload, policy) => subscriptionFromPayload(payload, policy, { userId, topic }));
  }

  /**
   * Signature, expiry, issuer and audience by jsonwebtoken (or remembered
   * from an earlier check of the same token, see VerifiedTokens), then
   * `claims` on the payload; AuthErrors pass as they are.
   */
  private check<T>(token: string | undefined | null, claims: (payload: jwt.JwtPayload, policy: ClaimsPolicy) => T): Promise<T> {
    if (!token) return Promise.reject(new AuthError(AuthFailure.Missing));
    const remembered = this.verified.get(token);
    if (remembered) return this.applyClaims(remembered, claims);
    return new Promise<jwt.JwtPayload>((resolve, reject) => {
      const getKey: jwt.GetPublicKeyOrSecret = (header, done) => {
        this.keys.keyFor(header).then((key) => done(null, key), (err: Error) => done(err));
      };
      jwt.verify(token, getKey, this.options, (err, payload) => {
        if (err) return reject(toAuthError(err));
        this.verified.remember(token, payload as jwt.JwtPayload);
        resolve(payload as jwt.JwtPayload);
      });
    }).then((payload) => this.applyClaims(payload, claims));
  }

  private applyClaims<T>(payload: jwt.JwtPayload, claims: (payload: jwt.JwtPayload, policy: ClaimsPolicy) => T): Promise<T> {
    try {
      return Promise.resolve(claims(payload, {
        nowSec: Date.now() / 1000,
        clockToleranceSec: this.options.clockTolerance ?? 0,
        maxLifetimeSeconds: this.maxLifetimeSeconds,
      }));
    } catch (e) {
      return Promise.reject(e instanceof HeraldError ? e : toAuthError(e));
    }
  }
}

/** jsonwebtoken's errors, reduced to the answers a client can act on; the detail is kept for logs. */
export function toAuthError(err: unknown): AuthError {
  if (err instanceof AuthError) return err;
  if (err instanceof jwt.TokenExpiredError) return new AuthError(AuthFailure.Expired);
  return new AuthError(AuthFailure.Invalid, err instanceof Error ? err.message : String(err));
}
