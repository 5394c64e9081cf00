import type { FactoryProvider, InjectionToken } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { REDIS_CONNECTION, type RedisConnection } from './redis-connection.js';

export interface RedisOrInMemoryOptions<T> {
  provide: InjectionToken;
  /** Builds the instance shared by every replica, on the process's Redis connection. */
  redis: (connection: RedisConnection, config: HeraldConfig) => T | Promise<T>;
  /** Builds the instance of embedded mode (no REDIS_URL), for this process alone. */
  inMemory: (config: HeraldConfig) => T | Promise<T>;
}

/**
 * A provider of `provide` backed by Redis when REDIS_URL is set and by
 * process memory otherwise: the one place that choice is made, for the bus
 * and for every store. Needs BusModule (global) for the connection.
 */
export function redisOrInMemory<T>({ provide, redis, inMemory }: RedisOrInMemoryOptions<T>): FactoryProvider<T> {
  return {
    provide,
    inject: [REDIS_CONNECTION, HERALD_CONFIG],
    useFactory: (connection: RedisConnection | null, config: HeraldConfig) => (connection ? redis(connection, config) : inMemory(config)),
  };
}
