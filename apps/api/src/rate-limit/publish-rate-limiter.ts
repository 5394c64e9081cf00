import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { redisOrInMemory, withinCommandTimeout } from '@herald/bus';
import type { HeraldConfig } from '@herald/config';

/** Injection token of the publish routes' limiter. */
export const PUBLISH_RATE_LIMITER = Symbol('PUBLISH_RATE_LIMITER');

/** This process's own budget per service token. */
const inMemory = (config: HeraldConfig) => new RateLimiterMemory({ points: config.http.publishRatePerSecond, duration: 1 });

/**
 * One budget per service token across every api replica (counted in Redis).
 * While Redis is down each replica falls back to its own in-memory budget,
 * so an outage neither blocks publishing nor lifts the limit. A Redis
 * Cluster client works as is: each count is one key, updated by a one-key
 * script, so it runs on the node that owns the key's slot. In embedded mode
 * (no REDIS_URL) the in-memory budget alone.
 */
export const publishRateLimiterProvider = redisOrInMemory<RateLimiterAbstract>({
  provide: PUBLISH_RATE_LIMITER,
  redis: (connection, config) =>
    withinCommandTimeout(
      connection,
      new RateLimiterRedis({
        storeClient: connection.client,
        keyPrefix: `${connection.prefix}rl:publish`,
        points: config.http.publishRatePerSecond,
        duration: 1,
        insuranceLimiter: inMemory(config),
      }),
    ),
  inMemory,
});
