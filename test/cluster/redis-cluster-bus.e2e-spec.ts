import { ClusterRedisConnection, RedisClusterBus } from '@herald/bus';
import { TestRedisCluster } from '../support/redis-cluster.js';
import { eventually } from '../../scripts/harness/wait.mjs';

/** The bus alone against a real cluster: routing, and the replacement of a wedged subscribing client. */
describe('RedisClusterBus', () => {
  let cluster: TestRedisCluster;
  let connection: ClusterRedisConnection;
  let sut: RedisClusterBus;
  const received: [string, string][] = [];
  let resubscribed = 0;

  beforeAll(async () => {
    cluster = await new TestRedisCluster(3).start();
    connection = new ClusterRedisConnection([cluster.url.split(',')[0]], { name: 'herald-test', prefix: 'bus-test:' });
    sut = new RedisClusterBus(connection);
    await sut.whenReady(5000);
    sut.onMessage((channel, payload) => received.push([channel, payload]));
    sut.onResubscribed(() => resubscribed++);
  }, 60_000);
  afterEach(() => {
    received.length = 0;
  });
  afterAll(async () => {
    await sut?.close();
    await connection?.close();
    await cluster?.stop();
  });

  /** One tagged channel per master, so every sharded connection is involved. */
  const channelsOnEveryNode = async () => {
    const byPort = new Map<number, string>();
    for (let i = 0; i < 300 && byPort.size < cluster.ports.length; i++) {
      const channel = `bus-test:u:{${i}}`;
      const port = await cluster.ownerOf(channel);
      if (!byPort.has(port)) byPort.set(port, channel);
    }
    return [...byPort.values()];
  };

  it('sends tagged channels over sharded pub/sub and untagged ones over classic pub/sub, in order', async () => {
    const sharded = await channelsOnEveryNode();
    await sut.subscribe([...sharded, 'bus-test:broadcast']);

    await sut.publish(sharded.flatMap((c) => [1, 2, 3].map((n) => ({ channel: c, payload: `${c}#${n}` }))));
    await sut.publish([{ channel: 'bus-test:broadcast', payload: 'all' }]);

    await eventually(async () => expect(received).toHaveLength(sharded.length * 3 + 1));
    for (const c of sharded) {
      expect(received.filter(([ch]) => ch === c).map(([, p]) => p)).toEqual([`${c}#1`, `${c}#2`, `${c}#3`]);
      await expect(cluster.shardNumSub(c)).resolves.toBe(1);
    }
    expect(received).toContainEqual(['bus-test:broadcast', 'all']);
    await sut.unsubscribe([...sharded, 'bus-test:broadcast']);
    for (const c of sharded) await eventually(async () => expect(await cluster.shardNumSub(c)).toBe(0));
  });

  it('replaces a subscribing client that ioredis left stuck: every channel again, old connections gone, one re-sync', async () => {
    const sharded = await channelsOnEveryNode();
    await sut.subscribe([...sharded, 'bus-test:broadcast']);
    const before = resubscribed;

    // ioredis's wedge cannot be caused on purpose; call what ShardRecovery
    // calls when it detects one.
    (sut as unknown as { replaceSubscriber(): void }).replaceSubscriber();

    await eventually(async () => expect(resubscribed).toBe(before + 1));
    for (const c of sharded) await eventually(async () => expect(await cluster.shardNumSub(c)).toBe(1));
    await sut.publish([...sharded.map((c) => ({ channel: c, payload: 'after' })), { channel: 'bus-test:broadcast', payload: 'after' }]);
    await eventually(async () => expect(received).toHaveLength(sharded.length + 1));
    expect(sut.isReady()).toBe(true);
  });
});
