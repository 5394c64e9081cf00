import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { IncomingHttpHeaders } from 'node:http';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AuthError, AuthFailure } from './auth.error.js';
import type { Principal } from './principal.js';
import { CredentialVerifier } from './credential-verifier.js';

const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * passport-jwt on HTTP, verifying with the CredentialVerifier: API keys,
 * and JWTs through the TokenVerifier the socket uses. passport-jwt's own
 * authenticate() would run jsonwebtoken with options of its own; this one
 * takes the Bearer credential with passport-jwt's extractor and hands it to
 * the one verify function, so HTTP and the socket cannot drift. A refused
 * credential fails (401); any other error (Postgres down while reading a
 * key) is passed on as itself.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(CredentialVerifier) private readonly verifier: CredentialVerifier) {
    // passport-jwt insists on a key source; authenticate() below never asks it.
    super({ jwtFromRequest: bearerToken, secretOrKeyProvider: (_req: unknown, _jwt: string, done: (e: Error) => void) => done(new AuthError(AuthFailure.Invalid)) });
  }

  override authenticate(req: { headers: IncomingHttpHeaders }): void {
    const token = bearerToken(req);
    if (!token) return this.fail(new AuthError(AuthFailure.Missing), 401);
    this.verifier.verify(token).then(
      (principal) => this.success(principal),
      (err: unknown) => (err instanceof AuthError ? this.fail(err, 401) : this.error(err as Error)),
    );
  }

  /** Required by Nest's mixin; authenticate() above already returns the principal. */
  validate(principal: Principal): Principal {
    return principal;
  }
}
