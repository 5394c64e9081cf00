import webpush from 'web-push';
import pg from 'pg';
import { Database } from '@herald/database';
import { sleep, waitUntil } from '../../scripts/harness/wait.mjs';
import { BatchWriter } from '../../apps/api/src/notifications/batch-writer.js';
import { http } from '../support/http-client.js';
import { startProcessSystem, type ProcessSystem } from '../support/process-system.js';
import { browserKeys, PushEndpoint } from '../support/push-endpoint.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

const vapid = webpush.generateVAPIDKeys();
const pushEnv = {
  HERALD_ALLOW_PRIVATE_ENDPOINTS: 'true',
  HERALD_VAPID_PUBLIC_KEY: vapid.publicKey,
  HERALD_VAPID_PRIVATE_KEY: vapid.privateKey,
  HERALD_OUTBOX_POLL_MS: '50',
  HERALD_PUSH_DELAY_MS: '0',
  HERALD_RETRY_DELAY_SECONDS: '1',
};

async function subscribe(apiUrl: string, token: string, endpointUrl: string): Promise<void> {
  const keys = browserKeys();
  const res = await http(apiUrl, 'POST', '/v1/push-subscriptions', { token, body: { endpoint: endpointUrl, keys: { p256dh: keys.p256dh, auth: keys.auth } } });
  expect(res.status).toBe(201);
}

describe('transactional outbox', () => {
  describe('a worker killed mid-batch', () => {
    let sys: ProcessSystem;
    const endpoint = new PushEndpoint();
    const users = Array.from({ length: 40 }, (_, i) => `kill-${i}`);

    beforeAll(async () => {
      await endpoint.start();
      sys = await startProcessSystem({ gateways: 0, workers: 1, env: { ...pushEnv, HERALD_WORKER_CONCURRENCY: '4' } });
    });
    afterAll(async () => {
      await sys.close();
      await endpoint.close();
    });

    it('still pushes every notification, and each is accepted by the push service once', async () => {
      for (const u of users) await subscribe(sys.api.url, sys.userToken(u), endpoint.url(`/k/${u}`));
      // The first 15 pushes are accepted; then the push service stops answering, with pushes in flight.
      endpoint.respond = () => (endpoint.accepted.length + 1 <= 15 ? 201 : new Promise<number>(() => undefined));
      const db = new pg.Client({ connectionString: sys.db.url });
      await db.connect();
      const completed = async () => Number((await db.query(`SELECT count(*) AS n FROM pgboss.job WHERE name = 'herald-push' AND state = 'completed'`)).rows[0].n);

      const res = await sys.publish(users);
      expect(res.status).toBe(201);
      await waitUntil(() => endpoint.accepted.length === 15 && endpoint.received.length > 15, { timeoutMs: 20_000, what: '15 accepted and more in flight' });
      await waitUntil(async () => (await completed()) === 15, { timeoutMs: 10_000, what: 'the accepted ones completed' });
      await sys.workers[0].stop('SIGKILL');
      expect(endpoint.accepted.length).toBe(15);

      endpoint.respond = () => 201;
      await sys.workers[0].start();
      await waitUntil(() => new Set(endpoint.accepted.map((p) => p.path)).size === users.length, { timeoutMs: 60_000, what: 'every push accepted' });
      await sleep(1500);
      const perUser = new Map<string, number>();
      for (const p of endpoint.accepted) perUser.set(p.path, (perUser.get(p.path) ?? 0) + 1);
      expect([...perUser.values()].every((n) => n === 1)).toBe(true);
      expect(endpoint.accepted).toHaveLength(users.length);
      await db.end();
    }, 120_000);

    it('drains on SIGTERM: reports not ready, lets the push in flight finish, then exits by itself', async () => {
      await subscribe(sys.api.url, sys.userToken('term-1'), endpoint.url('/term/1'));
      let release: (status: number) => void = () => undefined;
      endpoint.respond = (path) => (path === '/term/1' ? new Promise<number>((resolve) => (release = resolve)) : 201);
      await sys.publish(['term-1']);
      await waitUntil(() => endpoint.at('/term/1').length === 1, { timeoutMs: 15_000, what: 'the push in flight' });

      const stopping = sys.workers[0].stop('SIGTERM', 25_000);
      const notReady = await waitUntil(async () => {
        const res = await fetch(`${sys.workers[0].url}/readyz`).catch(() => undefined);
        return res?.status === 503 ? res : undefined;
      }, { timeoutMs: 5000, intervalMs: 20, what: '/readyz 503 while draining' });
      release(201);
      const exit = await stopping;

      expect(notReady?.status).toBe(503);
      // Nest re-raises the signal once shutdown is done; `killed` would say the grace ran out.
      expect(exit).toMatchObject({ signal: 'SIGTERM', killed: false });
      expect(endpoint.accepted.filter((p) => p.path === '/term/1')).toHaveLength(1);
    }, 60_000);
  });

  describe('a push service that hangs on some pushes', () => {
    let sys: TestSystem;
    const endpoint = new PushEndpoint();

    beforeAll(async () => {
      await endpoint.start();
      sys = await startTestSystem({ apis: 1, gateways: 0, workers: 1, env: { ...pushEnv, HERALD_WORKER_CONCURRENCY: '4' } });
    });
    afterAll(async () => {
      await sys.close();
      await endpoint.close();
    });

    it('completes a push as soon as it is accepted, not when the pushes fetched with it end', async () => {
      const users = ['hung-1', 'hung-2', 'hung-3', 'quick-1'];
      for (const u of users) await subscribe(sys.apis[0].url, sys.userToken(u), endpoint.url(`/h/${u}`));
      const release: Array<(status: number) => void> = [];
      endpoint.respond = (path) => (path === '/h/quick-1' ? 201 : new Promise<number>((resolve) => release.push(resolve)));
      const db = sys.apis[0].app.get(Database);
      const states = async () => {
        const rows = await db.query<{ state: string; n: string }>(`SELECT state, count(*) AS n FROM pgboss.job WHERE name = 'herald-push' GROUP BY state`);
        return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
      };

      expect((await sys.publish(users)).status).toBe(201);
      // Four in flight with a concurrency of 4 is two loops holding a full batch of two each: the quick push shares its batch with a hung one.
      await waitUntil(() => endpoint.received.length === 4, { timeoutMs: 15_000, what: 'four pushes in flight' });
      const held = await waitUntil(async () => {
        const s = await states();
        return s.completed === 1 && s.active === 3 ? s : undefined;
      }, { timeoutMs: 10_000, what: 'the accepted push completed beside three hung ones' });
      release.forEach((answer) => answer(201));
      await waitUntil(async () => (await states()).completed === 4, { timeoutMs: 15_000, what: 'all four completed' });

      expect(held).toEqual({ completed: 1, active: 3 });
      expect(endpoint.accepted.map((p) => p.path).sort()).toEqual(users.map((u) => `/h/${u}`).sort());
    }, 60_000);
  });

  describe('a publish that rolls back', () => {
    let sys: TestSystem;
    const endpoint = new PushEndpoint();

    beforeAll(async () => {
      await endpoint.start();
      sys = await startTestSystem({ apis: 1, gateways: 0, workers: 1, env: pushEnv });
    });
    afterAll(async () => {
      await sys.close();
      await endpoint.close();
    });

    it('leaves no outbox row and pushes nothing', async () => {
      await subscribe(sys.apis[0].url, sys.userToken('rb-1'), endpoint.url('/rb/1'));
      const db = sys.apis[0].app.get(Database);
      const writer = sys.apis[0].app.get(BatchWriter);
      const input = { recipients: ['rb-1'], type: 'doomed', title: 'Never' };
      let inside = -1;

      await expect(
        db.transaction(async (tx) => {
          await writer.write(tx, [{ principal: 'svc', input, hash: '' }], 24);
          inside = Number((await tx.query<{ n: string }>('SELECT count(*) AS n FROM outbox'))[0].n);
          throw new Error('the request failed after the insert');
        }),
      ).rejects.toThrow('after the insert');
      const control = await sys.publish(['rb-1'], { type: 'kept', title: 'Kept' });

      await waitUntil(() => endpoint.accepted.length === 1, { timeoutMs: 15_000, what: 'the committed one pushed' });
      await sleep(500);
      expect(inside).toBe(1);
      expect(endpoint.received).toHaveLength(1);
      expect(control.status).toBe(201);
      expect((await db.query<{ n: string }>(`SELECT count(*) AS n FROM notifications WHERE type = 'doomed'`))[0].n).toBe('0');
    });
  });
});
