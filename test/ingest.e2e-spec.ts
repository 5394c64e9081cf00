import { Agent, get, type ClientRequest } from 'node:http';
import type { Socket } from 'node:net';
import { version } from 'uuid';
import { http } from './support/http-client.js';
import { startTestSystem, type TestSystem } from './support/test-system.js';
import { TestSocket } from './support/test-socket.js';

describe('ingest: validation, idempotency, batches', () => {
  let sys: TestSystem;
  const count = async (userId: string) => {
    const res = await http(sys.apis[0].url, 'GET', '/v1/notifications?limit=100', { token: sys.userToken(userId) });
    return res.body.items.length as number;
  };

  beforeAll(async () => {
    sys = await startTestSystem({ apis: 2, gateways: 1 });
  });
  afterAll(async () => {
    await sys.close();
  });

  it('names every bad field in one 400 and rejects unknown fields', async () => {
    const res = await http(sys.apis[0].url, 'POST', '/v1/notifications', {
      token: sys.serviceToken(),
      body: {
        recipients: ['ok', ''], type: 'Bad Type', title: '', body: 'x'.repeat(4001), severity: 'loud',
        data: { big: 'x'.repeat(9000) }, link: 'javascript:alert(1)', expiresAt: '2001-01-01T00:00:00Z', extra: true,
      },
    });

    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    const fields = new Set(res.body.details.map((d: { field: string }) => d.field));
    for (const f of ['recipients', 'type', 'title', 'body', 'severity', 'data', 'link', 'expiresAt', 'extra']) expect(fields).toContain(f);
  });

  it('rejects 1001 recipients and malformed JSON with 400', async () => {
    const tooMany = await sys.publish(Array.from({ length: 1001 }, (_, i) => `r${i}`));
    const malformed = await http(sys.apis[0].url, 'POST', '/v1/notifications', { token: sys.serviceToken(), rawBody: '{"recipients":' });

    expect(tooMany.status).toBe(400);
    expect(malformed).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });

  it('keeps data keys named like Object methods, on the fast lane and the full pipe, in the inbox and on the socket', async () => {
    const data = { valueOf: 1, toString: { hasOwnProperty: [2] }, plain: 'x' };
    const socket = await TestSocket.connect(sys.socketUrl(0, 'u-keys'));
    const fast = await sys.publish(['u-keys'], { data });
    const full = await sys.publish(['u-keys'], { data, link: 'https://example.com/k' }); // a link takes the full pipe

    expect([fast.status, full.status]).toEqual([201, 201]);
    await socket.waitForNotifications(2);
    expect(socket.notifications().map((n: { data: unknown }) => n.data)).toEqual([data, data]);
    const list = await http(sys.apis[0].url, 'GET', '/v1/notifications?limit=5', { token: sys.userToken('u-keys') });
    expect(list.body.items.map((n: { data: unknown }) => n.data)).toEqual([data, data]);
    await socket.close();
  });

  it('refuses, and stores nothing for, a field named like an Object method, at the top or in an action', async () => {
    const top = await sys.publish(['u-method-keys'], { toString: 'x' });
    const inAction = await sys.publish(['u-method-keys'], { actions: [{ id: 'a', label: 'A', valueOf: 1 }] });

    expect(top).toMatchObject({ status: 400, body: { code: 'validation_failed', details: [{ field: 'toString', message: 'property toString should not exist' }] } });
    expect(inAction).toMatchObject({ status: 400, body: { code: 'validation_failed', details: [{ field: 'actions.0.valueOf' }] } });
    expect(await count('u-method-keys')).toBe(0);
  });

  it('gives each of 1000 recipients their own next seq in one POST', async () => {
    await sys.publish(['batch-0']);
    const recipients = Array.from({ length: 1000 }, (_, i) => `batch-${i}`);

    const res = await sys.publish(recipients);

    expect(res.status).toBe(201);
    expect(res.body.notifications).toHaveLength(1000);
    const bySeq = new Map(res.body.notifications.map((n: { userId: string; seq: number }) => [n.userId, n.seq]));
    expect(bySeq.get('batch-0')).toBe(2);
    expect(bySeq.get('batch-999')).toBe(1);
  });

  it('gives time-ordered ids (UUIDv7): later notifications, alone or in a batch, sort after earlier ones', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await sys.publish(['u-ids'])).body.notifications[0].id);
    const batch = await sys.publish(['u-ids', 'u-ids-2', 'u-ids-3']);
    ids.push(...batch.body.notifications.map((n: { id: string }) => n.id));

    expect(ids.map((id) => version(id))).toEqual([7, 7, 7, 7, 7, 7]);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(6);
    const list = await http(sys.apis[0].url, 'GET', '/v1/notifications?limit=10', { token: sys.userToken('u-ids') });
    expect(list.body.items.map((n: { id: string }) => n.id).reverse()).toEqual(ids.slice(0, 4));
  });

  it('replays the first answer for the same key and body: no second row, no second push', async () => {
    const socket = await TestSocket.connect(sys.socketUrl(0, 'u-idem'));
    const headers = { 'Idempotency-Key': 'order-42' };

    const first = await sys.publish(['u-idem'], { title: 'once' }, 0, headers);
    const again = await sys.publish(['u-idem'], { title: 'once' }, 1, headers);

    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    await socket.waitForNotifications(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(socket.notifications()).toHaveLength(1);
    expect(await count('u-idem')).toBe(1);
    await socket.close();
  });

  it('answers 409 for the same key with another body', async () => {
    const headers = { 'Idempotency-Key': 'order-43' };
    await sys.publish(['u-idem2'], { title: 'first' }, 0, headers);

    const conflict = await sys.publish(['u-idem2'], { title: 'different' }, 0, headers);

    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('idempotency_conflict');
    expect(await count('u-idem2')).toBe(1);
  });

  it('makes one row out of 20 concurrent duplicates on two api instances', async () => {
    const headers = { 'Idempotency-Key': 'order-44' };

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => sys.publish(['u-idem3'], { title: 'dup' }, i % 2, headers)));

    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(results.map((r) => r.body.notifications[0].id)).size).toBe(1);
    expect(await count('u-idem3')).toBe(1);
  });

  it('scopes keys per service and refuses an overlong key', async () => {
    const headers = { 'Idempotency-Key': 'shared-key' };
    const a = await sys.publish(['u-idem4'], { title: 'a' }, 0, headers);
    const b = await http(sys.apis[0].url, 'POST', '/v1/notifications', {
      token: sys.serviceToken({ sub: 'other-service' }),
      body: { recipients: ['u-idem4'], type: 'test', title: 'b' },
      headers,
    });
    const long = await sys.publish(['u-idem4'], {}, 0, { 'Idempotency-Key': 'k'.repeat(256) });

    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(long.status).toBe(400);
  });

  it('does not deadlock when concurrent batches share recipients in different orders', async () => {
    const users = Array.from({ length: 30 }, (_, i) => `dl-${i}`);
    const shuffled = () => [...users].sort(() => Math.random() - 0.5);

    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => sys.publish(shuffled(), {}, i % 2)));

    expect(results.every((r) => r.status === 201)).toBe(true);
    const seqs = results.flatMap((r) => r.body.notifications.filter((n: { userId: string }) => n.userId === 'dl-0').map((n: { seq: number }) => n.seq));
    expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('keeps an idle keep-alive connection open longer than a proxy would (no 502 race behind nginx)', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const socketOf = () =>
      new Promise<Socket>((resolve, reject) => {
        const req: ClientRequest = get(`${sys.apis[0].url}/healthz`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(req.socket as Socket));
        });
        req.on('error', reject);
      });

    const first = await socketOf();
    // Node's default closes it after 5 s idle (plus a 1 s grace), while nginx reuses upstream connections for 60 s.
    await new Promise((r) => setTimeout(r, 7000));
    const second = await socketOf();
    agent.destroy();

    expect(second).toBe(first);
  }, 15_000);
});
