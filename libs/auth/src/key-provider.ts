import { KeyObject, createSecretKey, type webcrypto } from 'node:crypto';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import type jwt from 'jsonwebtoken';
import type { HeraldConfig } from '@herald/config';
import { AuthError, AuthFailure } from './auth.error.js';

const ASYMMETRIC = ['RS256', 'ES256'] as const;

/**
 * Picks the verification key for a token's header. HS256 tokens are checked
 * only against the shared secret and RS256/ES256 only against the JWKS, so a
 * token cannot switch algorithm to have a public key used as an HMAC secret.
 */
export class KeyProvider {
  private readonly jwks: JWTVerifyGetKey | undefined;
  /**
   * The HS256 secret as a KeyObject, made once. Handed a string,
   * jsonwebtoken first tries it as a PEM public key (which throws) and then
   * builds a secret key, on every verify: a quarter of the api's CPU per POST.
   */
  private readonly secretKey: KeyObject | undefined;

  constructor(private readonly jwtConfig: HeraldConfig['jwt']) {
    this.secretKey = jwtConfig.secret ? createSecretKey(Buffer.from(jwtConfig.secret, 'utf8')) : undefined;
    // jose caches the key set and refetches on an unknown kid, at most every 30 s.
    this.jwks = jwtConfig.jwksUrl ? createRemoteJWKSet(new URL(jwtConfig.jwksUrl), { cooldownDuration: 30_000 }) : undefined;
  }

  /** The algorithms a token may use under this configuration. */
  get algorithms(): jwt.Algorithm[] {
    return [...(this.jwtConfig.secret ? (['HS256'] as const) : []), ...(this.jwks ? ASYMMETRIC : [])];
  }

  async keyFor(header: { alg?: string; kid?: string }): Promise<KeyObject> {
    if (header.alg === 'HS256' && this.secretKey) return this.secretKey;
    if (this.jwks && ASYMMETRIC.includes(header.alg as (typeof ASYMMETRIC)[number])) {
      try {
        // The key set picks by header alone; the token body is not needed for that.
        const key = await this.jwks({ alg: header.alg as string, kid: header.kid }, { payload: '', signature: '' });
        // jsonwebtoken takes node KeyObjects, jose hands out WebCrypto keys.
        return key instanceof KeyObject ? key : KeyObject.from(key as webcrypto.CryptoKey);
      } catch (err) {
        throw new AuthError(AuthFailure.Invalid, `no usable key in the JWKS: ${(err as Error).message}`);
      }
    }
    throw new AuthError(AuthFailure.Invalid, `token algorithm ${String(header.alg)} is not accepted`);
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
