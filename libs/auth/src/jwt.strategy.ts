import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AuthError, AuthFailure } from './auth.error.js';
import type { Principal } from './principal.js';
import { TokenVerifier, toAuthError } from './token-verifier.js';

const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * passport-jwt on HTTP, verifying with the TokenVerifier the socket uses.
 * passport-jwt's own authenticate() would run jsonwebtoken with options of
 * its own; this one takes the Bearer token with passport-jwt's extractor and
 * hands it to the one verify function, so HTTP and the socket cannot drift.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(TokenVerifier) private readonly verifier: TokenVerifier) {
    // passport-jwt insists on a key source; authenticate() below never asks it.
    super({ jwtFromRequest: bearerToken, secretOrKeyProvider: (_req: unknown, _jwt: string, done: (e: Error) => void) => done(new AuthError(AuthFailure.Invalid)) });
  }

  override authenticate(req: Request): void {
    const token = bearerToken(req);
    if (!token) return this.fail(new AuthError(AuthFailure.Missing), 401);
    this.verifier.verify(token).then(
      (principal) => this.success(principal),
      (err: unknown) => this.fail(toAuthError(err), 401),
    );
  }

  /** Required by Nest's mixin; authenticate() above already returns the principal. */
  validate(principal: Principal): Principal {
    return principal;
  }
}
