import type { HeraldConfig } from '@herald/config';
import { ClusterRedisConnection } from './cluster-redis-connection.js';
import { StandaloneRedisConnection } from './standalone-redis-connection.js';

/**
 * The process's Redis command connection: one Redis or a Redis Cluster
 * (`kind` tells which). BusModule owns it, opening it at start and closing it
 * after the bus at shutdown; the bus, the ticket, presence and rate-limit
 * stores all send their commands on `client`, keys starting with `prefix`.
 * Every command names one key, or keys that share a slot, so each works on a
 * cluster too. Subscribers are separate connections (`createSubscriber`).
 */
export type RedisConnection = StandaloneRedisConnection | ClusterRedisConnection;

/**
 * Injection token of the RedisConnection; its value is null in embedded mode
 * (no REDIS_URL). Prefer `redisOrInMemory` to injecting it directly.
 */
export const REDIS_CONNECTION = Symbol('REDIS_CONNECTION');

/** The connection `config` asks for, named `name` in CLIENT LIST; null without REDIS_URL. */
export function createRedisConnection(config: HeraldConfig['redis'], name: string): RedisConnection | null {
  if (!config.url) return null;
  const options = { name, prefix: config.prefix, commandTimeoutMs: config.commandTimeoutMs };
  return config.cluster ? new ClusterRedisConnection(config.clusterNodes, options) : new StandaloneRedisConnection(config.url, options);
}
