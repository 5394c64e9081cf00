import { userChannel } from '@herald/contracts';
import { http } from '../support/http-client.js';
import type { TestRedisCluster } from '../support/redis-cluster.js';
import type { TestSystem } from '../support/test-system.js';
import { TestSocket } from '../support/test-socket.js';
import { eventually, sleep } from '../../scripts/harness/wait.mjs';
import { startClusterSystem, usersOnEveryNode, type ClusterSystem } from './cluster-system.js';

const readyStatus = async (url: string) => (await http(url, 'GET', '/readyz')).status;

/**
 * POSTs to two users at a time, every 10 ms, until stopped (400 at most),
 * counting what the api accepted per user.
 */
function publishWhile(sys: TestSystem, users: string[]) {
  const sent = new Map(users.map((u) => [u, 0]));
  let publishing = true;
  const done = (async () => {
    for (let i = 0; publishing && i < 400; i++) {
      const batch = [...new Set([users[(i * 5) % users.length], users[(i * 7 + 1) % users.length]])];
      const res = await sys.publish(batch, { title: `p${i}` });
      if (res.status === 201) for (const u of batch) sent.set(u, (sent.get(u) ?? 0) + 1);
      await sleep(10);
    }
  })();
  return {
    sent: (u: string) => sent.get(u) ?? 0,
    stop: async () => {
      publishing = false;
      await done;
    },
  };
}

/** Every socket got every accepted POST for its user: seq 1..n, once each, in order. */
async function expectEverythingOnce(sockets: Map<string, TestSocket>, sent: (u: string) => number, timeoutMs: number): Promise<void> {
  for (const [u, socket] of sockets) {
    const got = await socket.waitForNotifications(sent(u), timeoutMs);
    expect(got.map((n) => n.seq)).toEqual(Array.from({ length: sent(u) }, (_, k) => k + 1));
  }
  await sleep(300);
  for (const [u, socket] of sockets) expect(socket.notifications()).toHaveLength(sent(u));
}

describe('Redis Cluster: masters crash and come back', () => {
  let cs: ClusterSystem;
  let sys: TestSystem;
  let cluster: TestRedisCluster;
  const connectAll = async (users: string[]) =>
    new Map(await Promise.all(users.map(async (u, i) => [u, await TestSocket.connect(sys.socketUrl(i % 2, u))] as const)));
  const closeAll = (sockets: Map<string, TestSocket>) => Promise.all([...sockets.values()].map((s) => s.close()));

  beforeAll(async () => {
    cs = await startClusterSystem({ apis: 1, gateways: 2 });
    ({ sys, cluster } = cs);
  }, 60_000);
  afterAll(async () => {
    await cs?.close();
  });

  it('keeps the other shards live while one master is down, then re-syncs its users from Postgres', async () => {
    const byNode = await usersOnEveryNode(cluster, sys.prefix, 'crash', 4);
    const users = [...byNode.values()].flat();
    const sockets = await connectAll(users);
    const [victim] = cluster.ports;
    const victims = byNode.get(victim) ?? [];
    const publisher = publishWhile(sys, users);

    const sentToVictims = () => victims.reduce((n, u) => n + publisher.sent(u), 0);
    await sleep(300);
    await cluster.stopNodes([victim]);
    const atCrash = sentToVictims();
    // Until at least ten POSTs to the crashed shard's users were accepted.
    await eventually(async () => expect(sentToVictims() - atCrash).toBeGreaterThanOrEqual(10), 10_000);
    // A gateway stays ready with one shard down: the others still deliver.
    await expect(readyStatus(sys.gateways[0].url)).resolves.toBe(200);
    await publisher.stop();

    const healthy = new Map([...sockets].filter(([u]) => !victims.includes(u)));
    await expectEverythingOnce(healthy, publisher.sent, 10_000);
    const missing = victims.reduce((n, u) => n + publisher.sent(u) - sockets.get(u)!.notifications().length, 0);
    expect(missing).toBeGreaterThanOrEqual(10);
    // Nothing is published after the master returns: what its users missed
    // can only arrive through the gateways' re-sync.
    await cluster.startNodes([victim]);

    await expectEverythingOnce(sockets, publisher.sent, 15_000);
    const metrics = await Promise.all(sys.gateways.map((gw) => http(gw.metricsUrl, 'GET', '/metrics')));
    for (const m of metrics) expect(m.body).toMatch(/herald_gateway_resumes_total\{outcome="resync_after_outage"\} [1-9]/);
    await closeAll(sockets);
  }, 60_000);

  it('delivers live again on the restarted shard, and broadcasts still reach every gateway', async () => {
    const byNode = await usersOnEveryNode(cluster, sys.prefix, 'after', 1);
    const userId = byNode.get(cluster.ports[0])![0];
    const onA = await TestSocket.connect(sys.socketUrl(0, userId));
    const onB = await TestSocket.connect(sys.socketUrl(1, userId));

    await expect(cluster.shardNumSub(userChannel(userId, sys.prefix))).resolves.toBe(2);
    const res = await sys.publish([userId], { title: 'live' });
    const broadcast = await http(sys.apis[0].url, 'POST', '/v1/broadcasts', { token: sys.adminToken(), body: { type: 'after', title: 'after' } });

    expect(res.status).toBe(201);
    expect(broadcast.status).toBe(202);
    for (const socket of [onA, onB]) {
      await expect(socket.waitForNotifications(1)).resolves.toMatchObject([{ title: 'live', seq: 1 }]);
      await expect(socket.waitFor((f) => f.type === 'broadcast')).resolves.toMatchObject({ broadcast: { id: broadcast.body.id } });
    }
    await Promise.all([onA.close(), onB.close()]);
  });

  it('is not ready while every master is down, and re-syncs everyone once the cluster is back', async () => {
    const users = [...(await usersOnEveryNode(cluster, sys.prefix, 'all', 2)).values()].flat();
    const sockets = await connectAll(users);
    const publisher = publishWhile(sys, users);

    await sleep(300);
    await cluster.stopNodes(cluster.ports);
    await eventually(async () => expect(await readyStatus(sys.gateways[0].url)).toBe(503), 5000);
    await sleep(500);
    await publisher.stop();
    await cluster.startNodes(cluster.ports);
    await eventually(async () => expect(await Promise.all(sys.gateways.map((gw) => readyStatus(gw.url)))).toEqual([200, 200]), 20_000);

    // ioredis may wedge its sharded subscribers after a whole-cluster outage;
    // the bus then replaces its subscribing client, ~10 s after the cluster is up.
    await expectEverythingOnce(sockets, publisher.sent, 30_000);
    await closeAll(sockets);
  }, 90_000);
});
