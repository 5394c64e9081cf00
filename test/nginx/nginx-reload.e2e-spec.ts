import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import pg from 'pg';
import { freePort } from '../../scripts/harness/network.mjs';
import { pollUntil, sleep } from '../../scripts/harness/wait.mjs';
import { RehearsalClient, type LatencyRecord } from '../../scripts/scale-rehearsal/lib/client.mjs';
import { Nginx, NGINX_BIN } from '../../scripts/scale-rehearsal/lib/nginx.mjs';
import { Publisher } from '../../scripts/scale-rehearsal/lib/publisher.mjs';
import { startProcessSystem, type ProcessSystem } from '../support/process-system.js';

const CLIENTS = 1000;
const RELOADS = 10;
/** worker_shutdown_timeout: after a reload, an old worker closes the sockets it still holds. */
const SHUTDOWN_TIMEOUT_MS = 1000;
/** Longest wait for every client to be back after one reload (1,000 TLS handshakes on a shared machine). */
const BACK_WITHIN_MS = 45_000;
const POSTS_PER_SECOND = 20;
const CONNECT_CONCURRENCY = 50;

/** Committed rows per user, straight from Postgres: what each client must have, no more, no less. */
async function rowsPerUser(url: string): Promise<Map<string, { rows: number; lastSeq: number }>> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ user_id: string; n: number; last: number }>('SELECT user_id, count(*)::int AS n, max(seq)::int AS last FROM notifications GROUP BY user_id');
    return new Map(rows.map((r) => [r.user_id, { rows: r.n, lastSeq: r.last }]));
  } finally {
    await client.end();
  }
}

const haveNginx = existsSync(NGINX_BIN);
if (!haveNginx) console.warn(`test/nginx reload skipped: ${NGINX_BIN} is missing (apt-get install nginx; CI installs it)`);

/**
 * `nginx -s reload` ten times while 1,000 wss clients hold sockets through
 * it and POSTs flow through it, each reload once the clients are back from
 * the last. With worker_shutdown_timeout set (as an
 * operator should: ingress-nginx sets one), each old worker closes what it
 * still holds a second after its reload: every client is cut and must come
 * back through a new worker with `since`, losing and repeating nothing.
 */
(haveNginx ? describe : describe.skip)('nginx reloaded under 1,000 sockets (api and two gateways as processes)', () => {
  let sys: ProcessSystem;
  let nginx: Nginx;
  const clients: RehearsalClient[] = [];
  let publisher: Publisher | undefined;

  beforeAll(async () => {
    // Every client reaches the gateways as nginx's 127.0.0.1: no per-address budget here.
    sys = await startProcessSystem({ gateways: 2, env: { HERALD_IP_HANDSHAKES_PER_MINUTE: '0', HERALD_IP_REQUESTS_PER_SECOND: '0' } });
    nginx = new Nginx({ port: await freePort(), controlPort: await freePort(), apiPort: sys.api.port, workerConnections: 4 * CLIENTS, shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS });
    nginx.writeSite(sys.gateways.map((g) => g.port));
    await nginx.start();
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) c.stop();
    await publisher?.stop();
    await nginx?.stop();
    await sys?.close();
  });

  it('brings every client back with since after each reload, with nothing lost, repeated or reordered', async () => {
    const runId = `reload-${randomBytes(3).toString('hex')}`;
    const latency: LatencyRecord = { live: [], replayed: [], offline: [], offlineSteps: { backoff: [], upgrade: [], welcome: [], resume: [] } };
    const secureContext = createSecureContext({ ca: nginx.ca });
    for (let i = 0; i < CLIENTS; i++) {
      const userId = `${runId}-u${i}`;
      clients.push(new RehearsalClient({ userId, token: sys.userToken(userId), baseUrl: `wss://127.0.0.1:${nginx.port}`, secureContext, latency }));
    }
    for (let i = 0; i < CLIENTS; i += CONNECT_CONCURRENCY) await Promise.all(clients.slice(i, i + CONNECT_CONCURRENCY).map((c) => c.start()));
    publisher = new Publisher({ baseUrl: `https://127.0.0.1:${nginx.port}`, ca: nginx.ca, token: sys.serviceToken(), users: clients.map((c) => c.userId), ratePerSecond: POSTS_PER_SECOND, runId });
    publisher.start(RELOADS * BACK_WITHIN_MS + 10_000);

    // Each reload once every client is back from the previous one: then every socket sits on the newest
    // workers, and each reload must cut and bring back all 1,000.
    const cameBack: number[] = [];
    for (let i = 0; i < RELOADS; i++) {
      await sleep(500); // POSTs land between reloads too
      const before = clients.map((c) => c.connects);
      await nginx.reload();
      await pollUntil(() => clients.every((c, k) => c.live && c.connects > before[k]), { timeoutMs: BACK_WITHIN_MS, intervalMs: 100 });
      cameBack.push(clients.filter((c, k) => c.live && c.connects > before[k]).length);
    }
    await sleep(1000);
    await publisher.stop();
    const truth = await rowsPerUser(sys.db.url);
    const behind = () => clients.filter((c) => !c.live || c.lastSeq !== (truth.get(c.userId)?.lastSeq ?? 0));
    await pollUntil(() => behind().length === 0, { timeoutMs: 30_000, intervalMs: 200 });
    await sleep(300); // room for a late duplicate

    const wrong = clients
      .map((c) => ({ user: c.userId, rows: truth.get(c.userId)?.rows ?? 0, received: c.received, duplicates: c.duplicates, gaps: c.gaps, errors: c.errors }))
      .filter((c) => c.received !== c.rows || c.duplicates || c.gaps || c.errors.length);
    expect(publisher.failed).toEqual([]);
    expect([...truth.values()].reduce((n, t) => n + t.rows, 0)).toBe(publisher.created);
    expect(behind().map((c) => c.userId)).toEqual([]);
    expect(wrong).toEqual([]);
    // After every reload, every client was cut by an old worker and came back through a new one.
    expect(cameBack).toEqual(Array(RELOADS).fill(CLIENTS));
    expect(clients.filter((c) => c.reconnects < RELOADS).map((c) => c.userId)).toEqual([]);
  }, RELOADS * BACK_WITHIN_MS + 60_000);
});
