import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '@herald/auth';
import type { RateLimiter } from '@herald/bus';
import { PUBLISH_RATE_LIMITER } from './publish-rate-limiter.js';
import { admitOrThrow } from './rate-limited.js';

/** 429 `rate_limited` with Retry-After once a service token spends its budget. */
@Injectable()
export class PublishRateLimitGuard implements CanActivate {
  constructor(@Inject(PUBLISH_RATE_LIMITER) private readonly limiter: RateLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const principal = context.switchToHttp().getRequest<{ user: Principal }>().user;
    admitOrThrow(await this.limiter.consume(principal.sub), 'publish rate limit exceeded for this service token');
    return true;
  }
}
