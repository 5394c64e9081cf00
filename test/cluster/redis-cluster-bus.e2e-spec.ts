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

  it('sends classic publishes to a ready master while another master\'s connection reopens', async () => {
    const client = connection.client;
    const [victim] = client.nodes('master');
    const sharded = await channelsOnEveryNode();
    const owners = await Promise.all(sharded.map((c) => cluster.ownerOf(c)));
    const onVictim = sharded[owners.indexOf(victim.options.port!)];
    expect(onVictim).toBeDefined();

    // Its connection gone, ioredis opens a new one when a sharded publish to
    // its slot is redirected there; until that one is ready, every classic
    // publish goes somewhere (20 a turn: a random node would be the opening
    // one in nearly every turn).
    victim.disconnect();
    await eventually(async () => expect(client.nodes('master')).toHaveLength(2));
    const sends: Promise<void>[] = [sut.publish([{ channel: onVictim, payload: 'reopen' }])];
    let whileOpening = 0;
    const until = Date.now() + 5000;
    while (Date.now() < until && (client.nodes('master').length < 3 || client.nodes('master').some((n) => n.status !== 'ready'))) {
      if (client.nodes('master').some((n) => n.status !== 'ready' && n.status !== 'wait')) {
        whileOpening++;
        for (let i = 0; i < 20; i++) sends.push(sut.publish([{ channel: 'bus-test:broadcast', payload: 'during' }]));
      }
      await new Promise((resolve) => setImmediate(resolve));
    }

    expect(whileOpening).toBeGreaterThan(0);
    await expect(Promise.all(sends)).resolves.toBeDefined();
    expect(client.nodes('master').map((n) => n.status)).toEqual(['ready', 'ready', 'ready']);
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
    // Only this test's messages: a node relays a classic publish to the others
    // over the cluster bus after it answered it, so the previous test's
    // broadcasts can still reach the new subscription (CI saw them).
    await eventually(async () => expect(received.filter(([, payload]) => payload === 'after')).toHaveLength(sharded.length + 1));
    expect(sut.isReady()).toBe(true);
  });
});
