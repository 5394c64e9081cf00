import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../scripts/harness/network.mjs';
import { EmbeddedProcess } from './support/embedded-process.js';
import { http } from './support/http-client.js';
import { TestSocket } from './support/test-socket.js';

/**
 * `npm start` on a fresh machine: the built embedded process with no
 * DATABASE_URL, no REDIS_URL and no secret, in an empty directory.
 */
describe('embedded mode (npm start)', () => {
  const sut = new EmbeddedProcess();
  let metricsPort: number;

  beforeAll(async () => {
    metricsPort = await freePort();
    const env = { PORT: String(await freePort()), HERALD_METRICS_PORT: String(metricsPort), LOG_LEVEL: 'warn' };
    await sut.start(env, (p) => p.output.includes('service token'));
    await new Promise((r) => setTimeout(r, 200)); // the banner's last lines
  }, 70_000);
  afterAll(() => sut.stop());

  it('prints the URL, a user token, a service token and a curl line that delivers to a socket', async () => {
    const base = sut.output.match(/inbox page:\s+(http:\/\/localhost:\d+)/)?.[1] as string;
    const lines = sut.output.split('\n').map((l) => l.trim());
    const userToken = lines[lines.findIndex((l) => l.startsWith('user token')) + 1];
    const serviceToken = lines[lines.findIndex((l) => l.startsWith('service token')) + 1];
    expect(base).toBeDefined();
    expect(sut.output).toContain('curl -s -X POST');

    const socket = await TestSocket.connect(`${base.replace('http', 'ws')}/ws?token=${userToken}`);
    const res = await http(base, 'POST', '/v1/notifications', {
      token: serviceToken,
      body: { recipients: ['alice'], type: 'hello', title: 'Hello from Herald' },
    });

    expect(res.status).toBe(201);
    const [n] = await socket.waitForNotifications(1);
    expect(n).toMatchObject({ userId: 'alice', title: 'Hello from Herald', seq: res.body.notifications[0].seq });
    expect((await http(base, 'GET', '/readyz')).status).toBe(200);
    expect(existsSync(join(sut.dir, '.herald', 'jwt-secret'))).toBe(true);
    await socket.close();
  });

  it('runs the inbox on PGlite: grouping under concurrency, states, counts, a live wake-up and delivery receipts', async () => {
    const base = sut.output.match(/inbox page:\s+(http:\/\/localhost:\d+)/)?.[1] as string;
    const lines = sut.output.split('\n').map((l) => l.trim());
    const userToken = lines[lines.findIndex((l) => l.startsWith('user token')) + 1];
    const serviceToken = lines[lines.findIndex((l) => l.startsWith('service token')) + 1];
    const socket = await TestSocket.connect(`${base.replace('http', 'ws')}/ws?token=${userToken}`);
    const publish = (fields: Record<string, unknown>) =>
      http(base, 'POST', '/v1/notifications', { token: serviceToken, body: { recipients: ['alice'], type: 'comment', title: 'c', ...fields } });

    const grouped = await Promise.all(Array.from({ length: 8 }, (_, i) => publish({ groupKey: 'embedded:g', actor: `a${i}` })));
    const single = await publish({ title: 'to snooze' });
    const id = single.body.notifications[0].id;
    await http(base, 'POST', `/v1/notifications/${id}/snooze`, { token: userToken, body: { until: new Date(Date.now() + 1000).toISOString() } });
    const woken = await socket.waitFor((f) => f.type === 'inbox.change' && f.change === 'woken', 10_000);
    const counts = await http(base, 'POST', '/v1/notifications/counts', { token: userToken, body: { filters: { all: {}, snoozed: { state: 'snoozed' } } } });
    const receipt = await http(base, 'GET', `/v1/notifications/${id}`, { token: serviceToken });

    expect(new Set(grouped.map((g) => g.body.notifications[0].id)).size).toBe(1);
    expect(woken.notification).toMatchObject({ id, snoozedUntil: null });
    expect(counts.body.counts.snoozed).toBe(0);
    expect(counts.body.counts.all).toBeGreaterThanOrEqual(2);
    expect(receipt.body.deliveredAt).toEqual(expect.any(String));
    await socket.close();
  });

  it('serves metrics on HERALD_METRICS_PORT, and none on the public port', async () => {
    const base = sut.output.match(/inbox page:\s+(http:\/\/localhost:\d+)/)?.[1] as string;

    const metrics = await http(`http://127.0.0.1:${metricsPort}`, 'GET', '/metrics');
    const publicPort = await Promise.all(['/metrics', '/METRICS', '/metrics/'].map((path) => http(base, 'GET', path)));

    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('herald_gateway_connections');
    expect(publicPort.map((r) => r.status)).toEqual([404, 404, 404]);
  });
});

/**
 * `npm start` with an operator's secret in production: it must boot into a
 * data dir that does not exist yet, keep that dir to itself, listen on
 * loopback only, and never print or mint a token signed with that secret.
 */
describe('embedded mode with NODE_ENV=production and a secret', () => {
  const sut = new EmbeddedProcess();
  const dataDir = join(sut.dir, 'not', 'yet', 'there');
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env = { PORT: String(port), HERALD_METRICS_PORT: '0', LOG_LEVEL: 'info', NODE_ENV: 'production', HERALD_JWT_SECRET: 'operator-secret-'.padEnd(40, 'x'), HERALD_DATA_DIR: dataDir };
    await sut.start(env, async () => (await http(base, 'GET', '/healthz').catch(() => undefined))?.status === 200);
  }, 70_000);
  afterAll(() => sut.stop());

  it('boots into a new data dir kept at 0700, and prints no token', () => {
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(sut.output).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    expect(sut.output).not.toContain('service token');
  });

  it('mints no dev tokens', async () => {
    expect((await http(base, 'POST', '/demo/dev-token')).status).toBe(404);
  });

  it('listens on loopback only unless HERALD_HOST says otherwise', async () => {
    const elsewhere = await http(base.replace('127.0.0.1', '127.0.0.2'), 'GET', '/healthz').then(
      () => 'answered',
      (err: Error & { cause?: { code?: string } }) => err.cause?.code ?? err.message,
    );

    expect(elsewhere).toBe('ECONNREFUSED');
  });
});
