import { namespaceChannel, topicChannel } from '@herald/contracts';
import { eventually, sleep } from '../../scripts/harness/wait.mjs';
import type { TestRedisCluster } from '../support/redis-cluster.js';
import type { TestSystem } from '../support/test-system.js';
import type { TestSocket } from '../support/test-socket.js';
import { publishTopic, topicSocket } from '../support/topics.js';
import { startClusterSystem, usersOnEveryNode, type ClusterSystem } from './cluster-system.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** Topics on a three-master cluster: each topic's channel on sharded pub/sub, the topic its hash tag. */
describe('Redis Cluster: topics over sharded pub/sub (3 masters, 2 apis, 2 gateways)', () => {
  let cs: ClusterSystem;
  let sys: TestSystem;
  let cluster: TestRedisCluster;
  const sockets: TestSocket[] = [];
  const open = async (gateway: number, sub: string, query: string) => {
    const socket = await topicSocket(sys, gateway, sub, ['shard:*'], query);
    sockets.push(socket);
    await socket.waitFor((f) => f.type === 'subscribed');
    return socket;
  };
  /** One topic of namespace `shard` whose channel each master owns. */
  async function topicPerMaster(stem: string): Promise<Map<number, string>> {
    const byPort = await usersOnEveryNode(cluster, sys.prefix, `shard:${stem}`, 1, topicChannel);
    return new Map([...byPort].map(([port, [topic]]) => [port, topic]));
  }
  const events = (s: TestSocket) => s.ofType('topic.event').map((f) => f.event);

  beforeAll(async () => {
    cs = await startClusterSystem({ apis: 2, gateways: 2, env: { HERALD_TOPIC_NAMESPACES: '{"shard":{"patterns":true}}' } });
    ({ sys, cluster } = cs);
  }, 60_000);
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await cs?.close();
  });

  it('delivers topics on every shard and their namespace pattern, from both apis to both gateways, once each, in order', async () => {
    const topics = [...(await topicPerMaster('d')).values()];
    const byTopic = await Promise.all(topics.flatMap((t, i) => [open(0, `a${i}`, `topics=${t}`), open(1, `b${i}`, `topics=${t}`)]));
    const pattern = await Promise.all([open(0, 'pa', 'topics=shard:*'), open(1, 'pb', 'topics=shard:*')]);

    const results = await Promise.all(Array.from({ length: 45 }, (_, i) => publishTopic(sys, topics[i % 3], { data: { i } }, i % 2)));

    expect(results.every((r) => r.status === 201)).toBe(true);
    for (const socket of byTopic) await socket.waitFor(() => events(socket).length >= 15, 15_000);
    for (const socket of pattern) await socket.waitFor(() => events(socket).length >= 45, 15_000);
    await sleep(300);
    for (const [i, socket] of byTopic.entries()) {
      expect(events(socket).map((e) => [e.topic, e.seq])).toEqual(range(15).map((s) => [topics[Math.floor(i / 2)], s]));
    }
    for (const socket of pattern) expect(events(socket).map((e) => e.nsSeq)).toEqual(range(45));
  }, 60_000);

  it('holds one sharded subscription per gateway per topic on the owning master, none classic', async () => {
    for (const [port, topic] of await topicPerMaster('ref')) {
      const channel = topicChannel(topic, sys.prefix);
      expect(await cluster.shardNumSub(channel)).toBe(0);

      await open(0, 'r1', `topics=${topic}`);
      await open(0, 'r2', `topics=${topic}`);
      expect(await cluster.shardNumSub(channel)).toBe(1);
      await open(1, 'r3', `topics=${topic}`);
      expect(await cluster.shardNumSub(channel)).toBe(2);
      const [, classic] = (await cluster.client(port).pubsub('NUMSUB', channel)) as [string, number];
      expect(Number(classic)).toBe(0);
      await Promise.all(sockets.splice(0).map((s) => s.close()));
      await eventually(async () => expect(await cluster.shardNumSub(channel)).toBe(0));
    }
    await open(0, 'ns', 'topics=shard:*');
    expect(await cluster.shardNumSub(namespaceChannel('shard', sys.prefix))).toBe(1);
  }, 30_000);

  it('re-syncs the topics of a master that crashed and came back from Postgres', async () => {
    const [victimPort, victim] = [...(await topicPerMaster('crash'))][0];
    const follower = await open(1, 'c1', `topics=${victim}`);
    let sent = 0;
    let publishing = true;
    const publisher = (async () => {
      // Bounded: at most 300 events, and only while the test says so.
      for (let i = 0; publishing && i < 300; i++) {
        if ((await publishTopic(sys, victim, { data: { i } })).status === 201) sent++;
        await sleep(10);
      }
    })();

    await sleep(300);
    await cluster.stopNodes([victimPort]);
    const atCrash = sent;
    await eventually(async () => expect(sent - atCrash).toBeGreaterThanOrEqual(10), 10_000);
    publishing = false;
    await publisher;
    expect(events(follower).length).toBeLessThan(sent);
    // Nothing is published after the master returns: only the re-sync can bring the rest.
    await cluster.startNodes([victimPort]);

    await follower.waitFor(() => events(follower).length >= sent, 30_000);
    await sleep(300);
    expect(events(follower).map((e) => e.seq)).toEqual(range(sent));
  }, 60_000);
});
