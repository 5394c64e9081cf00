import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Principal } from '@herald/auth';
import { RateLimitedError } from '@herald/errors';
import { PUBLISH_RATE_LIMITER } from './publish-rate-limiter.js';

/** 429 `rate_limited` with Retry-After once a service token spends its budget. */
@Injectable()
export class PublishRateLimitGuard implements CanActivate {
  constructor(@Inject(PUBLISH_RATE_LIMITER) private readonly limiter: RateLimiterAbstract) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const principal = context.switchToHttp().getRequest<{ user: Principal }>().user;
    try {
      await this.limiter.consume(principal.sub);
      return true;
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      throw new RateLimitedError('publish rate limit exceeded for this service token', res.msBeforeNext / 1000);
    }
  }
}
