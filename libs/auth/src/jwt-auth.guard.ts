import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import passport from 'passport';
import { ForbiddenError } from '@herald/errors';
import { IS_PUBLIC, REQUIRED_SCOPES } from './auth.decorators.js';
import { AuthError, AuthFailure } from './auth.error.js';
import { JwtStrategy } from './jwt.strategy.js';
import type { Principal } from './principal.js';

/** A route's @Public and @RequireScopes. */
interface RouteRules {
  isPublic: boolean;
  /** Empty: a user route. */
  scopes: readonly string[];
}

/**
 * The one global guard: a token on every route unless @Public. A route with
 * @RequireScopes is a service route and needs those scopes; any other route
 * acts for the token's user (their inbox, their socket tickets), and a
 * service token is refused there: its `sub` names a service, not a person.
 *
 * Passport runs this app's own JwtStrategy instance, not the strategy
 * registered under the name `jwt`: that registry is one per process, and
 * with several apps in one process (tests) the last app's keys would answer
 * for all. Like passport's by-name lookup, each request gets a fresh object
 * over the strategy, so concurrent requests never share passport's actions.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly logger = new Logger(JwtAuthGuard.name);

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(JwtStrategy) private readonly strategy: JwtStrategy,
  ) {}

  /** Each route's @Public and @RequireScopes, read once: decorators are fixed at boot, and the lookup allocated per request. */
  private readonly rules = new WeakMap<object, Map<unknown, RouteRules>>();

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rules = this.rulesOf(context);
    if (rules.isPublic) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<{ user?: Principal }>();
    const principal = await new Promise<Principal>((resolve, reject) => {
      const done = (err: unknown, user: Principal | false, info: unknown) => {
        if (user) req.user = user; // verified: a 403's audit line can name who it was
        try {
          resolve(this.admit(err, user, info, rules.scopes));
        } catch (e) {
          reject(e);
        }
      };
      passport.authenticate(Object.create(this.strategy) as passport.Strategy, { session: false }, done)(req, http.getResponse(), reject);
    });
    req.user = principal;
    return true;
  }

  private rulesOf(context: ExecutionContext): RouteRules {
    const handler = context.getHandler();
    const owner = context.getClass();
    // Keyed by class and handler: an inherited handler may sit under other class decorators. A context without both is read each time.
    if (!owner || !handler) return this.readRules([handler, owner].filter(Boolean));
    let perHandler = this.rules.get(owner);
    if (!perHandler) this.rules.set(owner, (perHandler = new Map()));
    let rules = perHandler.get(handler);
    if (!rules) perHandler.set(handler, (rules = this.readRules([handler, owner])));
    return rules;
  }

  private readRules(targets: Parameters<Reflector['getAllAndOverride']>[1]): RouteRules {
    return {
      isPublic: !!this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets),
      scopes: this.reflector.getAllAndOverride<string[]>(REQUIRED_SCOPES, targets) ?? [],
    };
  }

  private admit(err: unknown, user: Principal | false, info: unknown, required: readonly string[]): Principal {
    // Not a refused credential but a failure to check one (Postgres down): answered as that failure.
    if (err && !(err instanceof AuthError)) throw err;
    if (err || !user) {
      const reason = err ?? info;
      const authError = reason instanceof AuthError ? reason : new AuthError(AuthFailure.Invalid, String(reason));
      if (authError.detail) this.logger.debug(`refused HTTP credentials: ${authError.detail}`);
      throw authError;
    }
    if (!required.length) {
      if (user.kind === 'service') throw new ForbiddenError('a service token cannot act as a user');
      return user;
    }
    const missing = required.filter((s) => !user.scopes.has(s));
    if (missing.length) throw new ForbiddenError(`token lacks scope ${missing.join(', ')}`);
    return user;
  }
}
