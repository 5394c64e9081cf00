import { ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ForbiddenError } from '@herald/errors';
import { IS_PUBLIC, REQUIRED_SCOPES } from './auth.decorators.js';
import { AuthError, AuthFailure } from './auth.error.js';
import type { Principal } from './principal.js';

/** The one global guard: token on every route unless @Public, scopes per @RequireScopes. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly logger = new Logger(JwtAuthGuard.name);

  constructor(private readonly reflector: Reflector) {
    super();
  }

  canActivate(context: ExecutionContext) {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    return super.canActivate(context);
  }

  handleRequest<T = Principal>(err: unknown, user: T | false, info: unknown, context: ExecutionContext): T {
    if (err || !user) {
      const reason = err ?? info;
      const authError = reason instanceof AuthError ? reason : new AuthError(AuthFailure.Invalid, String(reason));
      if (authError.detail) this.logger.debug(`refused HTTP credentials: ${authError.detail}`);
      throw authError;
    }
    const required = this.reflector.getAllAndOverride<string[]>(REQUIRED_SCOPES, [context.getHandler(), context.getClass()]);
    const principal = user as unknown as Principal;
    const missing = (required ?? []).filter((s) => !principal.scopes.has(s));
    if (missing.length) throw new ForbiddenError(`token lacks scope ${missing.join(', ')}`);
    return user;
  }
}
