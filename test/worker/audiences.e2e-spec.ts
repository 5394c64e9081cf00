import { Database } from '@herald/database';
import { waitUntil } from '../../scripts/harness/wait.mjs';
import { http } from '../support/http-client.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import { TestSocket } from '../support/test-socket.js';

describe('worker: audiences and scheduled sends', () => {
  let sys: TestSystem;
  const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    http(sys.apis[0].url, method, path, { token: sys.serviceToken(), body, headers });
  const addMembers = async (key: string, users: string[]) => {
    for (let i = 0; i < users.length; i += 1000) {
      const res = await call('PUT', `/v1/audiences/${key}/members`, { userIds: users.slice(i, i + 1000) });
      expect(res.status).toBe(200);
    }
  };
  const db = () => sys.apis[0].app.get(Database);
  const untilDone = (statusUrl: string, timeoutMs: number) =>
    waitUntil(async () => {
      const res = await call('GET', statusUrl);
      return res.body.status === 'done' ? res.body : undefined;
    }, { timeoutMs, intervalMs: 250, what: 'the send done' });

  beforeAll(async () => {
    sys = await startTestSystem({ apis: 1, gateways: 1, workers: 1, env: { HERALD_OUTBOX_POLL_MS: '50', HERALD_AUDIENCE_INLINE_MAX: '50' } });
  });
  afterAll(async () => {
    await sys.close();
  });

  it('keeps members, lists them with a cursor and removes them', async () => {
    await addMembers('team.a', ['u3', 'u1', 'u2', 'u1']);

    const first = await call('GET', '/v1/audiences/team.a/members?limit=2');
    const second = await call('GET', `/v1/audiences/team.a/members?limit=2&after=${first.body.nextCursor}`);
    const removed = await call('DELETE', '/v1/audiences/team.a/members', { userIds: ['u2', 'nobody'] });

    expect(first.body).toEqual({ items: ['u1', 'u2'], nextCursor: 'u2' });
    expect(second.body).toEqual({ items: ['u3'], nextCursor: null });
    expect(removed.body).toEqual({ removed: 1 });
    expect((await call('GET', '/v1/audiences/team.a/members')).body.items).toEqual(['u1', 'u3']);
  });

  it('fans out a small audience inside the request (201)', async () => {
    await addMembers('small', ['s1', 's2']);

    const res = await call('POST', '/v1/notifications', { audience: 'small', type: 'news', title: 'Hi' });

    expect(res.status).toBe(201);
    expect(res.body.notifications.map((n: { userId: string }) => n.userId).sort()).toEqual(['s1', 's2']);
  });

  it('refuses recipients and audience together', async () => {
    const res = await call('POST', '/v1/notifications', { audience: 'small', recipients: ['x'], type: 'news', title: 'Hi' });

    expect(res).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });

  it('fans out 100,000 members as a job: one row each, gapless seqs, one live frame per online member, exact progress, idempotent', async () => {
    const members = Array.from({ length: 100_000 }, (_, i) => `m${String(i).padStart(6, '0')}`);
    await addMembers('everyone', members);
    const online = members.filter((_, i) => i % 1000 === 7);
    await sys.publish([online[0]]); // one member already has a row: the fan-out's must be seq 2
    const sockets = await Promise.all(online.map((u) => TestSocket.connect(sys.socketUrl(0, u))));
    const key = { 'Idempotency-Key': 'launch-1' };

    const res = await call('POST', '/v1/notifications', { audience: 'everyone', type: 'launch', title: 'We launched' }, key);
    const replay = await call('POST', '/v1/notifications', { audience: 'everyone', type: 'launch', title: 'We launched' }, key);

    expect(res.status).toBe(202);
    expect(replay).toMatchObject({ status: 202, body: res.body });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const done = await untilDone(res.body.send.statusUrl, 120_000);
    expect(done).toMatchObject({ total: 100_000, done: 100_000, audience: 'everyone' });
    const [rows] = await db().query<{ n: string; users: string; bad: string }>(
      `SELECT count(*) AS n, count(DISTINCT user_id) AS users, count(*) FILTER (WHERE seq <> CASE WHEN user_id = $1 THEN 2 ELSE 1 END) AS bad
         FROM notifications WHERE type = 'launch'`,
      [online[0]],
    );
    expect(rows).toEqual({ n: '100000', users: '100000', bad: '0' });
    const launches = (s: TestSocket) => s.notifications().filter((n) => n.type === 'launch');
    for (const s of sockets) await s.waitFor((f) => f.type === 'notification' && f.notification.type === 'launch', 10_000);
    await Promise.all(sockets.map((s) => s.close()));
    expect(sockets.map((s) => launches(s).length)).toEqual(sockets.map(() => 1));
  }, 300_000);

  it('holds a sendAt until its time, then delivers', async () => {
    const sendAt = new Date(Date.now() + 2500).toISOString();

    const res = await call('POST', '/v1/notifications', { recipients: ['later-1'], type: 'reminder', title: 'Later', sendAt });
    const early = await http(sys.apis[0].url, 'GET', '/v1/notifications', { token: sys.userToken('later-1') });

    expect(res.status).toBe(202);
    expect(early.body.items).toHaveLength(0);
    const done = await untilDone(res.body.send.statusUrl, 20_000);
    expect(Date.parse(done.finishedAt)).toBeGreaterThanOrEqual(Date.parse(sendAt));
    const late = await http(sys.apis[0].url, 'GET', '/v1/notifications', { token: sys.userToken('later-1') });
    expect(late.body.items.map((n: { title: string }) => n.title)).toEqual(['Later']);
  });
});
