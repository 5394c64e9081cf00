import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisConnection } from '../redis-connection.js';
import { ALLOWED, type LimitDecision, type LimitSpec, type RateLimiter } from './rate-limiter.js';

/** A RateLimiter over rate-limiter-flexible, fixed windows of `durationSeconds`. */
export class FlexibleRateLimiter implements RateLimiter {
  constructor(private readonly limiter: RateLimiterAbstract) {}

  async consume(key: string): Promise<LimitDecision> {
    try {
      await this.limiter.consume(key);
      return ALLOWED;
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      return { allowed: false, retryAfterMs: res.msBeforeNext };
    }
  }
}

/** This process's own budget per key (embedded mode, and Redis's insurance). */
export const memoryLimiter = (spec: LimitSpec) => new FlexibleRateLimiter(memory(spec));

const memory = (spec: LimitSpec) => new RateLimiterMemory({ points: spec.points, duration: spec.durationSeconds });

/**
 * One budget per key across every replica, counted in Redis under
 * `keyPrefix:<key>` by a one-key script (so a Redis Cluster runs it on the
 * key's node). While Redis is down each replica counts alone in memory, so
 * an outage neither blocks traffic nor lifts the limit. A key that spent its
 * budget is refused from memory until its window ends: a flood from one
 * address costs Redis one command per window, not one per request.
 */
export function redisLimiter(connection: RedisConnection, keyPrefix: string, spec: LimitSpec): RateLimiter {
  const insured = new RateLimiterRedis({
    storeClient: connection.client,
    keyPrefix,
    points: spec.points,
    duration: spec.durationSeconds,
    inMemoryBlockOnConsumed: spec.points + 1,
    insuranceLimiter: memory(spec),
  });
  return new FlexibleRateLimiter(withinCommandTimeout(connection, insured));
}

/**
 * A Redis limiter that answers from its in-memory insurance when Redis does
 * not answer within the connection's command timeout: a Redis that hangs
 * must not hold requests (see withDeadline for why ioredis's own timeout
 * is not enough).
 */
export function withinCommandTimeout(connection: Pick<RedisConnection, 'commandTimeoutMs'>, limiter: RateLimiterRedis): RateLimiterAbstract {
  return new RLWrapperTimeouts({ limiter, timeoutMs: connection.commandTimeoutMs }) as unknown as RateLimiterAbstract;
}
