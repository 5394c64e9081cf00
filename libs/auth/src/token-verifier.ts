import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { AuthError } from './auth.error.js';
import { KeyProvider, verifyOptions } from './key-provider.js';
import { principalFromPayload, type Principal } from './principal.js';

/**
 * The one token check of Herald (STYLE habit 6). The socket handshake calls
 * verify(); the HTTP strategy is built from the same key provider, options
 * and claims check, so both answer the same token the same way.
 */
@Injectable()
export class TokenVerifier {
  readonly keys: KeyProvider;
  readonly options: jwt.VerifyOptions;

  constructor(@Inject(HERALD_CONFIG) config: HeraldConfig) {
    this.keys = new KeyProvider(config.jwt);
    this.options = verifyOptions(config.jwt, this.keys);
  }

  verify(token: string | undefined | null): Promise<Principal> {
    if (!token) return Promise.reject(new AuthError('missing_token', 'credentials are missing'));
    return new Promise((resolve, reject) => {
      const getKey: jwt.GetPublicKeyOrSecret = (header, done) => {
        this.keys.keyFor(header).then((key) => done(null, key), (err: Error) => done(err));
      };
      jwt.verify(token, getKey, this.options, (err, payload) => {
        if (err) return reject(toAuthError(err));
        try {
          resolve(principalFromPayload(payload as jwt.JwtPayload));
        } catch (e) {
          reject(e);
        }
      });
    });
  }
}

/** jsonwebtoken's errors, reduced to the two answers a client can act on. */
export function toAuthError(err: unknown): AuthError {
  if (err instanceof AuthError) return err;
  if (err instanceof jwt.TokenExpiredError) return new AuthError('token_expired', 'token expired');
  const message = err instanceof Error ? err.message : 'invalid token';
  return new AuthError('invalid_token', message);
}
