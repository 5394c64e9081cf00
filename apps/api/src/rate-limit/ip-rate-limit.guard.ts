import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { LimitName, RateLimits, unlimited } from '@herald/bus';
import { addressKey, ClientAddress, HealthController, type RequestLike } from '@herald/observability';
import { admitOrThrow } from './rate-limited.js';

/**
 * Every HTTP request spends one point of its client address's budget
 * (HERALD_IP_REQUESTS_PER_SECOND), before the token is even looked at: a
 * flood from one address is cut before it costs a verification. Registered
 * as a global guard by RateLimitModule, which the app imports ahead of the
 * auth module so this guard runs first. The health probes are exempt: a 429
 * on /readyz would take the pod out of its load balancer.
 */
@Injectable()
export class IpRateLimitGuard implements CanActivate {
  constructor(
    @Inject(RateLimits) private readonly limits: RateLimits,
    @Inject(ClientAddress) private readonly address: ClientAddress,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getClass() === HealthController) return true;
    const limiter = this.limits.get(LimitName.IpRequests);
    // Budget off (0): no address to work out (trusted proxies, IPv6 /64) on every request.
    if (limiter === unlimited) return true;
    const ip = this.address.of(context.switchToHttp().getRequest<RequestLike>());
    admitOrThrow(await limiter.consume(addressKey(ip)), 'request rate limit exceeded for this address');
    return true;
  }
}
