import type { HeraldConfig } from '@herald/config';
import { redisOrInMemory } from '../redis-or-in-memory.js';
import { memoryLimiter, redisLimiter } from './flexible-rate-limiter.js';
import { unlimited, type LimitSpec, type RateLimiter } from './rate-limiter.js';

/**
 * Herald's named budgets (the publish limit is the api's own, per service
 * token). `tickets` and `inbox` count per user id; `ip-*` per client address
 * (ClientAddress in @herald/observability, IPv6 by /64).
 */
export const LimitName = {
  /** POST /v1/ws-tickets, per user per minute. */
  Tickets: 'tickets',
  /** The inbox routes, per user per minute. */
  Inbox: 'inbox',
  /** Every HTTP request but the health probes, per client address per second. */
  IpRequests: 'ip-requests',
  /** Socket handshakes, per client address per minute. */
  IpHandshakes: 'ip-handshakes',
} as const;
export type LimitName = (typeof LimitName)[keyof typeof LimitName];

/** Each budget as the configuration sets it. */
export function limitSpecs({ limits }: Pick<HeraldConfig, 'limits'>): Record<LimitName, LimitSpec> {
  return {
    [LimitName.Tickets]: { points: limits.ticketsPerMinute, durationSeconds: 60 },
    [LimitName.Inbox]: { points: limits.inboxRequestsPerMinute, durationSeconds: 60 },
    [LimitName.IpRequests]: { points: limits.ipRequestsPerSecond, durationSeconds: 1 },
    [LimitName.IpHandshakes]: { points: limits.ipHandshakesPerMinute, durationSeconds: 60 },
  };
}

/** Builds the limiter of one budget: the one place to swap how budgets are counted. */
export type LimiterFactory = (name: LimitName, spec: LimitSpec) => RateLimiter;

/** Every named budget of this process, each behind the RateLimiter type. */
export class RateLimits {
  private readonly limiters: Map<LimitName, RateLimiter>;

  constructor(config: Pick<HeraldConfig, 'limits'>, build: LimiterFactory) {
    const specs = Object.entries(limitSpecs(config)) as [LimitName, LimitSpec][];
    this.limiters = new Map(specs.map(([name, spec]) => [name, spec.points === 0 ? unlimited : build(name, spec)]));
  }

  get(name: LimitName): RateLimiter {
    return this.limiters.get(name) as RateLimiter;
  }
}

/**
 * RateLimits counted in Redis (`<prefix>rl:<name>:<key>`, one budget across
 * replicas) when REDIS_URL is set, in this process's memory otherwise.
 */
export const rateLimitsProvider = redisOrInMemory<RateLimits>({
  provide: RateLimits,
  redis: (connection, config) => new RateLimits(config, (name, spec) => redisLimiter(connection, `${connection.prefix}rl:${name}`, spec)),
  inMemory: (config) => new RateLimits(config, (_name, spec) => memoryLimiter(spec)),
});
