import { keySlot, presenceKeyBase } from '@herald/bus';
import { PresenceReporter } from '../../apps/gateway/src/presence/presence-reporter.js';
import { http } from '../support/http-client.js';
import type { TestRedisCluster } from '../support/redis-cluster.js';
import type { TestSystem } from '../support/test-system.js';
import { TestSocket } from '../support/test-socket.js';
import { eventually } from '../../scripts/harness/wait.mjs';
import { startClusterSystem, usersOnEveryNode, type ClusterSystem } from './cluster-system.js';

/** Everything else on the command client: tickets, presence and stats, the publish rate limiter. */
describe('Redis Cluster: tickets, presence, stats and rate limits', () => {
  let cs: ClusterSystem;
  let sys: TestSystem;
  let cluster: TestRedisCluster;
  const admin = (path: string) => http(sys.apis[0].url, 'GET', path, { token: sys.adminToken() });
  /** A key's value type on the master that owns it ('none' when absent). */
  const typeOf = async (key: string) => cluster.client(await cluster.ownerOf(key)).type(key);

  beforeAll(async () => {
    cs = await startClusterSystem({
      apis: 1,
      gateways: 2,
      env: { HERALD_REPORT_INTERVAL_MS: '300', HERALD_PUBLISH_RATE_PER_SECOND: '5', HERALD_DRAIN_MS: '0' },
    });
    ({ sys, cluster } = cs);
  }, 60_000);
  afterAll(async () => {
    await cs?.close();
  });

  it('issues a ticket into the cluster and lets it open exactly one socket', async () => {
    const res = await http(sys.apis[0].url, 'POST', '/v1/ws-tickets', { token: sys.userToken('t-ann') });
    expect(res.status).toBe(201);
    const key = `${sys.prefix}ticket:${res.body.ticket}`;
    await expect(typeOf(key)).resolves.toBe('string');

    const first = await TestSocket.connect(`${sys.gateways[1].wsUrl}?ticket=${res.body.ticket}`);
    const reused = await TestSocket.open(`${sys.gateways[0].wsUrl}?ticket=${res.body.ticket}`);

    expect(first.ofType('welcome')[0].userId).toBe('t-ann');
    await expect(reused.closed).resolves.toMatchObject({ code: 4003 });
    await expect(typeOf(key)).resolves.toBe('none');
    await first.close();
  });

  it('counts sockets and users of both gateways in /v1/stats and per-user presence, all keys in one slot', async () => {
    const users = [...(await usersOnEveryNode(cluster, sys.prefix, 'p', 2)).values()].flat();
    const sockets = await Promise.all([...users.map((u) => TestSocket.connect(sys.socketUrl(0, u))), TestSocket.connect(sys.socketUrl(1, users[0]))]);
    const ids = sys.gateways.map((gw) => gw.app.get(PresenceReporter).gatewayId);

    const stats = await eventually(async () => {
      const res = await admin('/v1/stats');
      expect(res.body).toMatchObject({ connections: 7, users: 7 });
      return res.body;
    });

    expect(stats.gateways).toEqual(
      expect.arrayContaining([
        { id: ids[0], connections: 6, users: 6, startedAt: expect.any(String) },
        { id: ids[1], connections: 1, users: 1, startedAt: expect.any(String) },
      ]),
    );
    await eventually(async () => expect((await admin(`/v1/users/${users[0]}/presence`)).body).toEqual({ online: true, connections: 2 }));
    const base = presenceKeyBase(sys.prefix, true);
    const presenceKeys = [`${base}gateways`, `${base}gateway:${ids[0]}`, `${base}gateway:${ids[0]}:users`, `${base}presence:${users[0]}`];
    expect(new Set(presenceKeys.map(keySlot)).size).toBe(1);
    await expect(Promise.all(presenceKeys.map(typeOf))).resolves.toEqual(['zset', 'string', 'set', 'hash']);

    await Promise.all(sockets.map((s) => s.close()));
    await eventually(async () => expect((await admin(`/v1/users/${users[0]}/presence`)).body).toEqual({ online: false, connections: 0 }));
    await eventually(async () => expect((await admin('/v1/stats')).body).toMatchObject({ connections: 0, users: 0 }));
  });

  it('keeps one publish budget per service token in the cluster: 429 with Retry-After beyond it', async () => {
    const token = sys.serviceToken({ sub: 'cluster-burst' });
    const post = (t: string) => http(sys.apis[0].url, 'POST', '/v1/notifications', { token: t, body: { recipients: ['rl'], type: 't', title: 'x' } });

    const results = await Promise.all(Array.from({ length: 12 }, () => post(token)));
    const counter = await typeOf(`${sys.prefix}rl:publish:cluster-burst`);
    const other = await post(sys.serviceToken({ sub: 'cluster-other' }));

    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(7);
    expect(limited[0].body.code).toBe('rate_limited');
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Counted in Redis, not by the in-memory insurance limiter.
    expect(counter).toBe('string');
    expect(other.status).toBe(201);
  });
});
