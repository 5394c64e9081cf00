import { PUBLISH_QUERY_TIMEOUT_MS } from '@herald/database';
import { MAX_QUEUE_MS } from '../apps/api/src/notifications/commit-then-publish.js';
import { sleep, waitUntil } from '../scripts/harness/wait.mjs';
import { http } from './support/http-client.js';
import { startBehindPostgresProxy, type SystemBehindProxy } from './support/postgres-behind-proxy.js';
import type { TcpProxy } from './support/tcp-proxy.js';
import type { TestSystem } from './support/test-system.js';
import { TestSocket } from './support/test-socket.js';

/** pg-pool's connectionTimeoutMillis on the publish pool. */
const CONNECT_TIMEOUT_MS = 5000;
/**
 * The promise (docs/security.md): however long Postgres hangs, a POST
 * answers within its wait for a batch, a connection and one statement.
 * The slack covers a loaded machine.
 */
const BOUND_MS = MAX_QUEUE_MS + CONNECT_TIMEOUT_MS + PUBLISH_QUERY_TIMEOUT_MS + 2000;
/** How long Postgres is frozen: longer than the bound, so the bound is the timeouts', not the stall's. */
const STALL_MS = BOUND_MS + 1000;
const USER = 'pg-stall';

/**
 * Postgres stops answering without closing anything (a frozen server, a
 * network that drops packets): the proxy holds every byte both ways.
 */
describe('faults: Postgres stalls while POSTs flow', () => {
  let behind: SystemBehindProxy;
  let proxy: TcpProxy;
  let sys: TestSystem;

  beforeAll(async () => {
    behind = await startBehindPostgresProxy({ apis: 1, gateways: 1 });
    ({ proxy, sys } = behind);
  }, 60_000);
  afterAll(async () => {
    await behind?.close();
  });

  it(`answers every POST 503 within ${BOUND_MS} ms while Postgres hangs, then stores and delivers again, gapless`, async () => {
    const socket = await TestSocket.connect(sys.socketUrl(0, USER));
    expect((await sys.publish([USER], { title: 'before' })).status).toBe(201);

    proxy.freeze();
    const frozenAt = performance.now();
    const answers: Promise<{ status: number; code: string; retryAfter: string | null; ms: number }>[] = [];
    /** Sends one POST and times its answer. */
    const send = (title: string, headers?: Record<string, string>) => {
      const sent = performance.now();
      answers.push(
        sys.publish([USER], { title }, 0, headers).then((res) => ({
          status: res.status, code: res.body?.code, retryAfter: res.headers.get('retry-after'), ms: performance.now() - sent,
        })),
      );
    };
    const keyed = { 'idempotency-key': 'pg-stall-keyed' };
    send('keyed', keyed);
    // Two lanes' worth of requests: some take the pool's connections, the rest wait for a batch.
    for (let i = 0; i < 20 && performance.now() - frozenAt < STALL_MS - BOUND_MS; i++) {
      send(`stalled ${i}`);
      await sleep(50);
    }
    const during = await Promise.all(answers);
    const stalledFor = performance.now() - frozenAt;

    expect(stalledFor).toBeLessThan(STALL_MS); // every answer came while Postgres still hung
    for (const a of during) {
      expect(a).toMatchObject({ status: 503, code: 'unavailable' });
      expect(a.retryAfter).toBeTruthy();
      expect(a.ms).toBeLessThan(BOUND_MS);
    }
    await sleep(Math.max(0, STALL_MS - stalledFor));

    proxy.thaw();
    await waitUntil(async () => (await sys.publish([USER], { title: 'after' })).status === 201, { timeoutMs: 20_000, intervalMs: 200, what: 'POST to succeed again' });
    // The retry the docs advise: the same key stores it once, however often it is sent.
    const retried = await sys.publish([USER], { title: 'keyed' }, 0, keyed);
    const again = await sys.publish([USER], { title: 'keyed' }, 0, keyed);
    expect(retried.status).toBe(201);
    expect(again.body).toEqual(retried.body);
    // What the socket received is the inbox: every stored seq once, in order, none missing.
    const inbox = await http(sys.apis[0].url, 'GET', '/v1/notifications?after=0&limit=100', { token: sys.userToken(USER) });
    const stored = (inbox.body.items as { seq: number }[]).map((n) => n.seq);
    expect(stored).toEqual(Array.from({ length: stored.length }, (_, k) => k + 1));
    const got = await socket.waitForNotifications(stored.length, 10_000);
    expect(got.map((n) => n.seq)).toEqual(stored);
    expect(got.map((n) => n.title).slice(-2)).toEqual(['after', 'keyed']);
    expect(got.filter((n) => n.title === 'keyed')).toHaveLength(1);
    await socket.close();
  }, 90_000);
});
