import { createServer } from 'node:net';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { HeraldConfig } from '@herald/config';
import { ClusterRedisConnection } from './cluster-redis-connection.js';
import { createRedisConnection, type RedisConnection } from './redis-connection.js';
import { StandaloneRedisConnection } from './standalone-redis-connection.js';

/** A loopback port nothing listens on: every connection attempt fails at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
}

const redisConfig = (over: Partial<HeraldConfig['redis']>): HeraldConfig['redis'] => ({ url: undefined, cluster: false, clusterNodes: [], prefix: 'spec:', commandTimeoutMs: 1000, ...over });

describe('Redis connections', () => {
  const opened: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const c of opened.splice(0)) await c.close();
    jest.restoreAllMocks();
  });

  it('is none in embedded mode, one Redis or a cluster otherwise', () => {
    expect(createRedisConnection(redisConfig({}), 'herald-spec')).toBeNull();
    const one = createRedisConnection(redisConfig({ url: 'redis://127.0.0.1:1' }), 'herald-spec') as RedisConnection;
    const cluster = createRedisConnection(redisConfig({ url: 'redis://127.0.0.1:1', cluster: true, clusterNodes: ['redis://127.0.0.1:1'] }), 'herald-spec') as RedisConnection;
    opened.push(one, cluster);

    expect([one.kind, one.name, one.prefix]).toEqual(['standalone', 'herald-spec', 'spec:']);
    expect(cluster.kind).toBe('cluster');
  });

  it('keeps the command options: no offline queue, one attempt per command, a connect timeout, a name', () => {
    const sut = new StandaloneRedisConnection('redis://127.0.0.1:1', { name: 'herald-spec', prefix: 'spec:' });
    const cluster = new ClusterRedisConnection(['redis://127.0.0.1:1'], { name: 'herald-spec', prefix: 'spec:' });
    opened.push(sut, cluster);

    expect(sut.client.options).toMatchObject({ enableOfflineQueue: false, enableAutoPipelining: true, autoPipeliningIgnoredCommands: ['publish'], maxRetriesPerRequest: 1, connectTimeout: 5000, commandTimeout: 1000, connectionName: 'herald-spec' });
    expect(cluster.client.options).toMatchObject({ enableOfflineQueue: false, redisOptions: { maxRetriesPerRequest: 1, connectTimeout: 5000, connectionName: 'herald-spec' } });
  });

  it('gives subscribers their own connection, named -sub, with an offline queue for re-subscribing', () => {
    const sut = new StandaloneRedisConnection('redis://127.0.0.1:1', { name: 'herald-spec', prefix: 'spec:' });
    const subscriber = sut.createSubscriber({ autoResubscribe: true });
    opened.push(sut, { close: async () => subscriber.disconnect() });

    expect(subscriber).not.toBe(sut.client);
    expect(subscriber.options).toMatchObject({ enableOfflineQueue: true, autoResubscribe: true, connectionName: 'herald-spec-sub' });
  });

  it('logs the errors of the command client and of each subscriber, once at first, without the password', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const port = await closedPort();
    const sut = new StandaloneRedisConnection(`redis://herald:s3cret@127.0.0.1:${port}`, { name: 'herald-spec', prefix: 'spec:' });
    const subscriber = sut.createSubscriber();
    opened.push({ close: async () => subscriber.disconnect() }, sut);

    await until(() => warn.mock.calls.length >= 2);
    // Reconnect attempts go on failing; within the interval they are only counted.
    await new Promise((r) => setTimeout(r, 300));

    const lines = warn.mock.calls.map(([line]) => String(line)).sort();
    expect(lines).toEqual([
      `herald-spec at redis://herald:***@127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
      `herald-spec-sub at redis://herald:***@127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
    ]);
  });
});
