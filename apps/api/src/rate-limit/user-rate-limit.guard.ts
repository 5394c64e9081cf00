import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Principal } from '@herald/auth';
import { RateLimits, type LimitName } from '@herald/bus';
import { admitOrThrow } from './rate-limited.js';

/** Metadata key of @RateLimit: the budget a route spends. */
export const RATE_LIMIT = 'herald:rate-limit';

/**
 * Spends one point of the route's per-user budget (see @RateLimit). Runs
 * after the global auth guard, so the principal is known and verified.
 */
@Injectable()
export class UserRateLimitGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(RateLimits) private readonly limits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const name = this.reflector.getAllAndOverride<LimitName | undefined>(RATE_LIMIT, [context.getHandler(), context.getClass()]);
    if (!name) return true;
    const { user } = context.switchToHttp().getRequest<{ user: Principal }>();
    admitOrThrow(await this.limits.get(name).consume(user.sub), `${name} rate limit exceeded for this user`);
    return true;
  }
}
