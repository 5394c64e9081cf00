import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { Bus, redisClientOf } from '@herald/bus';
import type { HeraldConfig } from '@herald/config';

/** Injection token of the publish routes' limiter. */
export const PUBLISH_RATE_LIMITER = Symbol('PUBLISH_RATE_LIMITER');

/**
 * One budget per service token across every api replica (counted in Redis).
 * While Redis is down each replica falls back to its own in-memory budget,
 * so an outage neither blocks publishing nor lifts the limit. A Redis
 * Cluster client works as is: each count is one key, updated by a one-key
 * script, so it runs on the node that owns the key's slot.
 */
export function createPublishRateLimiter(bus: Bus, config: HeraldConfig): RateLimiterAbstract {
  const points = config.http.publishRatePerSecond;
  const memory = new RateLimiterMemory({ points, duration: 1 });
  const redis = redisClientOf(bus);
  if (!redis) return memory;
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${config.redis.prefix}rl:publish`,
    points,
    duration: 1,
    insuranceLimiter: memory,
  });
}
