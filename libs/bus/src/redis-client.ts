import type { Cluster, Redis } from 'ioredis';

/** An ioredis client: to one Redis, or to a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/**
 * Resolves when every client is ready, or after `timeoutMs` regardless: a
 * process that boots during an outage starts anyway and reports not-ready
 * until Redis is back.
 */
export async function whenAllReady(clients: RedisClient[], timeoutMs: number): Promise<void> {
  const ready = (c: RedisClient) => (c.status === 'ready' ? Promise.resolve() : new Promise<void>((res) => c.once('ready', () => res())));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((res) => (timer = setTimeout(res, timeoutMs)));
  await Promise.race([Promise.all(clients.map(ready)), timeout]);
  clearTimeout(timer);
}
