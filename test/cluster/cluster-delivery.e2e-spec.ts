import { keySlot } from '@herald/bus';
import { broadcastChannel, userChannel } from '@herald/contracts';
import { http } from '../support/http-client.js';
import type { TestRedisCluster } from '../support/redis-cluster.js';
import type { TestSystem } from '../support/test-system.js';
import { TestSocket } from '../support/test-socket.js';
import { eventually, sleep } from '../../scripts/harness/wait.mjs';
import { startClusterSystem, usersOnEveryNode, type ClusterSystem } from './cluster-system.js';

describe('Redis Cluster: delivery over sharded pub/sub (3 masters, 2 apis, 2 gateways)', () => {
  let cs: ClusterSystem;
  let sys: TestSystem;
  let cluster: TestRedisCluster;
  const sockets: TestSocket[] = [];
  const connect = async (gateway: number, userId: string) => {
    const socket = await TestSocket.connect(sys.socketUrl(gateway, userId));
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    cs = await startClusterSystem({ apis: 2, gateways: 2 });
    ({ sys, cluster } = cs);
  }, 60_000);
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await cs?.close();
  });

  it('puts each user channel in the slot CLUSTER KEYSLOT names, spread over every master', async () => {
    const byNode = await usersOnEveryNode(cluster, sys.prefix, 'slot', 3);

    for (const users of byNode.values()) {
      for (const userId of users) {
        const channel = userChannel(userId, sys.prefix);
        expect(keySlot(channel)).toBe(await cluster.keySlot(channel));
      }
    }
    expect(byNode.size).toBe(3);
  });

  it('delivers 45 POSTs to 12 users on three shards, on both gateways, once each, in order', async () => {
    const users = [...(await usersOnEveryNode(cluster, sys.prefix, 'many', 4)).values()].flat();
    const onA = await Promise.all(users.map((u) => connect(0, u)));
    const onB = await Promise.all(users.map((u) => connect(1, u)));

    // Five one after another, then forty at once through both apis.
    for (let i = 0; i < 5; i++) expect((await sys.publish(users, { title: `seq-${i}` }, i % 2)).status).toBe(201);
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => sys.publish(users, { title: `burst-${i}` }, i % 2)));

    expect(burst.every((r) => r.status === 201)).toBe(true);
    for (const socket of [...onA, ...onB]) {
      const got = await socket.waitForNotifications(45, 15_000);
      expect(got.slice(0, 5).map((n) => n.title)).toEqual(['seq-0', 'seq-1', 'seq-2', 'seq-3', 'seq-4']);
    }
    await sleep(300);
    for (const socket of [...onA, ...onB]) {
      expect(socket.notifications().map((n) => n.seq)).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    }
  }, 60_000);

  it('holds one sharded subscription per gateway per user on the owning master, counted, and none classic', async () => {
    const byNode = await usersOnEveryNode(cluster, sys.prefix, 'ref', 1);

    for (const [port, [userId]] of byNode) {
      const channel = userChannel(userId, sys.prefix);
      const shardNumSub = () => cluster.shardNumSub(channel);
      expect(await shardNumSub()).toBe(0);

      const first = await connect(0, userId);
      expect(await shardNumSub()).toBe(1);
      const second = await connect(0, userId);
      expect(await shardNumSub()).toBe(1);
      const other = await connect(1, userId);
      expect(await shardNumSub()).toBe(2);
      const [, classic] = (await cluster.client(port).pubsub('NUMSUB', channel)) as [string, number];
      expect(Number(classic)).toBe(0);

      await first.close();
      await other.close();
      await eventually(async () => expect(await shardNumSub()).toBe(1));
      await second.close();
      await eventually(async () => expect(await shardNumSub()).toBe(0));
    }
  }, 30_000);

  it('reaches every socket on both gateways with a broadcast, over classic pub/sub', async () => {
    const users = [...(await usersOnEveryNode(cluster, sys.prefix, 'bc', 2)).values()].flat();
    const all = await Promise.all(users.map((u, i) => connect(i % 2, u)));
    const channel = broadcastChannel(sys.prefix);
    // Each gateway's classic subscriber listens on one node; the cluster forwards to it.
    const perNode = await Promise.all(cluster.ports.map(async (p) => Number(((await cluster.client(p).pubsub('NUMSUB', channel)) as [string, number])[1])));
    expect(perNode.reduce((a, b) => a + b, 0)).toBe(2);

    const res = await http(sys.apis[1].url, 'POST', '/v1/broadcasts', { token: sys.adminToken(), body: { type: 'maintenance', title: 'Down at 22:00' } });

    expect(res.status).toBe(202);
    for (const socket of all) {
      const frame = await socket.waitFor((f) => f.type === 'broadcast');
      expect(frame.broadcast).toMatchObject({ id: res.body.id, title: 'Down at 22:00' });
    }
    await sleep(200);
    for (const socket of all) expect(socket.ofType('broadcast')).toHaveLength(1);
  });
});
