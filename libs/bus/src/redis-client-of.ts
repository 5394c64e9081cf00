import type { Bus } from './bus.js';
import { RedisBus } from './redis-bus.js';
import { RedisClusterBus } from './redis-cluster-bus.js';
import type { RedisClient } from './redis-client.js';

/** The Redis command connection behind a bus; undefined for the in-process bus of embedded mode. */
export function redisClientOf(bus: Bus): RedisClient | undefined {
  return bus instanceof RedisBus || bus instanceof RedisClusterBus ? bus.publisher : undefined;
}
