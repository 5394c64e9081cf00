import { liveWindowMs } from '@herald/bus';
import { PresenceReporter } from '../apps/gateway/src/presence/presence-reporter.js';
import { eventually } from '../scripts/harness/wait.mjs';
import { http } from './support/http-client.js';
import { startTestSystem, type RunningApp, type TestSystem } from './support/test-system.js';
import { TestSocket } from './support/test-socket.js';

const REPORT_INTERVAL_MS = 300;

describe('ops: stats and presence from the gateways\' reports', () => {
  let sys: TestSystem;
  const admin = (path: string) => http(sys.apis[0].url, 'GET', path, { token: sys.adminToken() });
  const gatewayId = (gw: RunningApp) => gw.app.get(PresenceReporter).gatewayId;
  const presenceOf = async (userId: string) => (await admin(`/v1/users/${userId}/presence`)).body;

  beforeAll(async () => {
    sys = await startTestSystem({ gateways: 2, env: { HERALD_REPORT_INTERVAL_MS: String(REPORT_INTERVAL_MS), HERALD_DRAIN_MS: '0' } });
  });
  afterAll(async () => {
    await sys.close();
  });

  it('counts sockets and users per gateway and in total', async () => {
    const sockets = await Promise.all([
      TestSocket.connect(sys.socketUrl(0, 's-ann')),
      TestSocket.connect(sys.socketUrl(0, 's-ann')),
      TestSocket.connect(sys.socketUrl(1, 's-bob')),
    ]);
    const [gw0, gw1] = sys.gateways.map(gatewayId);

    const stats = await eventually(async () => {
      const res = await admin('/v1/stats');
      expect(res.body.connections).toBe(3);
      return res;
    });

    expect(stats.status).toBe(200);
    expect(stats.body.users).toBe(2);
    expect(stats.body.gateways).toHaveLength(2);
    expect(stats.body.gateways).toEqual(
      expect.arrayContaining([
        { id: gw0, connections: 2, users: 1, startedAt: expect.any(String) },
        { id: gw1, connections: 1, users: 1, startedAt: expect.any(String) },
      ]),
    );
    await Promise.all(sockets.map((s) => s.close()));
    await eventually(async () => expect((await admin('/v1/stats')).body.connections).toBe(0));
  });

  it('shows a user online while any live gateway holds a socket of theirs', async () => {
    await expect(presenceOf('p-ann')).resolves.toEqual({ online: false, connections: 0 });
    const phone = await TestSocket.connect(sys.socketUrl(0, 'p-ann'));
    const laptop = await TestSocket.connect(sys.socketUrl(1, 'p-ann'));

    await eventually(async () => expect(await presenceOf('p-ann')).toEqual({ online: true, connections: 2 }));
    await phone.close();
    await eventually(async () => expect(await presenceOf('p-ann')).toEqual({ online: true, connections: 1 }));
    await laptop.close();
    await eventually(async () => expect(await presenceOf('p-ann')).toEqual({ online: false, connections: 0 }));
  });

  it('drops a gateway that stops reporting within one report interval, with its users', async () => {
    const gw = await sys.startGateway();
    const id = gatewayId(gw);
    const socket = await TestSocket.connect(`${gw.wsUrl}?token=${sys.userToken('d-cy')}`);
    await eventually(async () => expect(await presenceOf('d-cy')).toEqual({ online: true, connections: 1 }));
    await eventually(async () => expect((await admin('/v1/stats')).body.gateways.map((g: { id: string }) => g.id)).toContain(id));

    // A hung or crashed gateway: no more reports, no cleanup; its socket is still open.
    gw.app.get(PresenceReporter).stop();
    const stoppedAt = Date.now();
    await eventually(async () => expect((await admin('/v1/stats')).body.gateways.map((g: { id: string }) => g.id)).not.toContain(id));
    const elapsed = Date.now() - stoppedAt;

    expect(elapsed).toBeLessThanOrEqual(liveWindowMs(REPORT_INTERVAL_MS) + 150);
    await expect(presenceOf('d-cy')).resolves.toEqual({ online: false, connections: 0 });
    const live = (await admin('/v1/stats')).body.gateways.map((g: { id: string }) => g.id);
    expect(live).toEqual(expect.arrayContaining(sys.gateways.slice(0, 2).map(gatewayId)));
    // The survivors reap what the dead gateway left behind once its report has expired.
    await eventually(async () => {
      expect(await sys.redis.hgetall(`${sys.prefix}presence:d-cy`)).toEqual({});
      expect(await sys.redis.zscore(`${sys.prefix}gateways`, id)).toBeNull();
    });
    await socket.close();
    await gw.app.close();
  });

  it('removes its report and presence at once on a graceful shutdown', async () => {
    const gw = await sys.startGateway();
    const id = gatewayId(gw);
    await TestSocket.connect(`${gw.wsUrl}?token=${sys.userToken('g-dee')}`);
    await eventually(async () => expect(await presenceOf('g-dee')).toEqual({ online: true, connections: 1 }));

    await gw.app.close();

    await expect(sys.redis.exists(`${sys.prefix}gateway:${id}`, `${sys.prefix}gateway:${id}:users`)).resolves.toBe(0);
    await expect(sys.redis.zscore(`${sys.prefix}gateways`, id)).resolves.toBeNull();
    await expect(presenceOf('g-dee')).resolves.toEqual({ online: false, connections: 0 });
    expect((await admin('/v1/stats')).body.gateways.map((g: { id: string }) => g.id)).not.toContain(id);
  });

  it('reads reports written by any process and ignores one past its window', async () => {
    const now = Number((await sys.redis.time())[0]) * 1000;
    const startedAt = new Date(now).toISOString();
    const write = (id: string, aliveUntil: number) =>
      sys.redis
        .pipeline()
        .set(`${sys.prefix}gateway:${id}`, JSON.stringify({ id, connections: 7, users: 5, startedAt }), 'PX', 10_000)
        .zadd(`${sys.prefix}gateways`, aliveUntil, id)
        .hset(`${sys.prefix}presence:f-eve`, id, 4)
        .exec();
    await write('fake-live', now + 60_000);
    await write('fake-stale', now - 1);

    const stats = (await admin('/v1/stats')).body;

    expect(stats.gateways).toEqual(expect.arrayContaining([{ id: 'fake-live', connections: 7, users: 5, startedAt }]));
    expect(stats.gateways.map((g: { id: string }) => g.id)).not.toContain('fake-stale');
    await expect(presenceOf('f-eve')).resolves.toEqual({ online: true, connections: 4 });
    await sys.redis.zrem(`${sys.prefix}gateways`, 'fake-live', 'fake-stale');
  });

  it('refuses tokens without the admin scope', async () => {
    const user = sys.userToken('nosy');
    const service = sys.serviceToken();

    const answers = await Promise.all([
      http(sys.apis[0].url, 'GET', '/v1/stats', { token: user }),
      http(sys.apis[0].url, 'GET', '/v1/users/nosy/presence', { token: user }),
      http(sys.apis[0].url, 'GET', '/v1/stats', { token: service }),
      http(sys.apis[0].url, 'POST', '/v1/broadcasts', { token: user, body: { type: 'x', title: 'y' } }),
    ]);
    const anonymous = await http(sys.apis[0].url, 'GET', '/v1/stats');

    for (const a of answers) expect(a).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(anonymous).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
  });
});
