import jwt from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';
import type { HeraldConfig } from '@herald/config';
import { AuthError } from './auth.error.js';

const ASYMMETRIC = ['RS256', 'ES256'] as const;

/**
 * Picks the verification key for a token's header. HS256 tokens are checked
 * only against the shared secret and RS256/ES256 only against the JWKS, so a
 * token cannot switch algorithm to have a public key used as an HMAC secret.
 */
export class KeyProvider {
  private readonly jwks: JwksClient | undefined;

  constructor(private readonly jwtConfig: HeraldConfig['jwt']) {
    this.jwks = jwtConfig.jwksUrl
      ? new JwksClient({ jwksUri: jwtConfig.jwksUrl, cache: true, cacheMaxAge: 10 * 60_000, rateLimit: true, jwksRequestsPerMinute: 10 })
      : undefined;
  }

  /** The algorithms a token may use under this configuration. */
  get algorithms(): jwt.Algorithm[] {
    return [...(this.jwtConfig.secret ? (['HS256'] as const) : []), ...(this.jwks ? ASYMMETRIC : [])];
  }

  async keyFor(header: { alg?: string; kid?: string }): Promise<string> {
    if (header.alg === 'HS256' && this.jwtConfig.secret) return this.jwtConfig.secret;
    if (this.jwks && ASYMMETRIC.includes(header.alg as (typeof ASYMMETRIC)[number])) {
      const key = await this.jwks.getSigningKey(header.kid);
      return key.getPublicKey();
    }
    throw new AuthError('invalid_token', `token algorithm ${String(header.alg)} is not accepted`);
  }
}

/** The jsonwebtoken options shared by the HTTP strategy and the socket handshake. */
export function verifyOptions(jwtConfig: HeraldConfig['jwt'], keys: KeyProvider): jwt.VerifyOptions {
  return {
    algorithms: keys.algorithms,
    issuer: jwtConfig.issuer,
    audience: jwtConfig.audience,
    clockTolerance: 5,
  };
}
