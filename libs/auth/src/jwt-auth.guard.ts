import { ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ErrorCode } from '@herald/contracts';
import { IS_PUBLIC, REQUIRED_SCOPES } from './auth.decorators.js';
import { AuthError } from './auth.error.js';
import type { Principal } from './principal.js';
import { toAuthError } from './token-verifier.js';

/** The one global guard: token on every route unless @Public, scopes per @RequireScopes. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
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
      const authError = reason instanceof Error && reason.message === 'No auth token'
        ? new AuthError('missing_token', 'credentials are missing')
        : toAuthError(reason);
      const code = authError.code === 'token_expired' ? ErrorCode.TokenExpired : ErrorCode.Unauthorized;
      throw new UnauthorizedException({ code, message: authError.message });
    }
    const required = this.reflector.getAllAndOverride<string[]>(REQUIRED_SCOPES, [context.getHandler(), context.getClass()]);
    const principal = user as unknown as Principal;
    const missing = (required ?? []).filter((s) => !principal.scopes.has(s));
    if (missing.length) {
      throw new ForbiddenException({ code: ErrorCode.Forbidden, message: `token lacks scope ${missing.join(', ')}` });
    }
    return user;
  }
}
