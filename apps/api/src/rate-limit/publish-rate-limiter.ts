import { LeasedRateLimiter, memoryLimiter, redisOrInMemory, type LimitSpec, type RateLimiter } from '@herald/bus';
import type { HeraldConfig } from '@herald/config';

/** Injection token of the publish routes' limiter. */
export const PUBLISH_RATE_LIMITER = Symbol('PUBLISH_RATE_LIMITER');

const spec = (config: HeraldConfig): LimitSpec => ({ points: config.http.publishRatePerSecond, durationSeconds: 1 });

/**
 * One budget per service token across every api replica, counted in Redis
 * under `<prefix>rl:publish:<sub>`: each replica leases points of the
 * window and spends them locally, so a POST does not wait for Redis (see
 * LeasedRateLimiter for the tolerance). While Redis is down, or does not
 * answer a lease within the command timeout, each replica falls back to its
 * own in-memory budget, so an outage neither blocks publishing nor lifts
 * the limit. In embedded mode (no REDIS_URL) the
 * in-memory budget alone.
 */
export const publishRateLimiterProvider = redisOrInMemory<RateLimiter>({
  provide: PUBLISH_RATE_LIMITER,
  redis: (connection, config) => new LeasedRateLimiter(connection, `${connection.prefix}rl:publish`, spec(config)),
  inMemory: (config) => memoryLimiter(spec(config)),
});
