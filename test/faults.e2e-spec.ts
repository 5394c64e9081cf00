import { sleep, waitUntil } from '../scripts/harness/wait.mjs';
import { http } from './support/http-client.js';
import { TestRedisServer } from './support/redis-server.js';
import { startBehindPostgresProxy, type SystemBehindProxy } from './support/postgres-behind-proxy.js';
import type { TcpProxy } from './support/tcp-proxy.js';
import { startTestSystem, type TestSystem } from './support/test-system.js';
import { TestSocket } from './support/test-socket.js';

const readyStatus = async (url: string) => (await http(url, 'GET', '/readyz')).status;

describe('faults: Redis restart', () => {
  let redis: TestRedisServer;
  let sys: TestSystem;

  beforeAll(async () => {
    redis = await new TestRedisServer().start();
    sys = await startTestSystem({ apis: 1, gateways: 2, env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await sys.close();
    await redis.kill();
  });

  it('resubscribes, is not ready while Redis is down, and delivers everything published meanwhile, in order, once', async () => {
    const users = Array.from({ length: 100 }, (_, i) => `r-${i}`);
    const sockets = await Promise.all(users.map((u, i) => TestSocket.connect(sys.socketUrl(i % 2, u))));
    const sent = new Map(users.map((u) => [u, 0]));
    let publishing = true;
    const publisher = (async () => {
      // Bounded: at most 400 POSTs, and only while the test says so.
      for (let i = 0; publishing && i < 400; i++) {
        const batch = [users[(i * 7) % 100], users[(i * 13 + 1) % 100]];
        const res = await sys.publish(batch, { title: `p${i}` });
        if (res.status === 201) for (const u of new Set(batch)) sent.set(u, (sent.get(u) ?? 0) + 1);
        await sleep(10);
      }
    })();

    await sleep(300);
    await redis.kill();
    await waitUntil(async () => (await readyStatus(sys.gateways[0].url)) === 503, { timeoutMs: 5000, intervalMs: 50, what: 'gateway not ready' });
    expect(await readyStatus(sys.gateways[1].url)).toBe(503);
    const before = new Map(sent);
    await sleep(700); // POSTs keep committing while nothing can be published
    publishing = false;
    await publisher;
    const duringOutage = [...sent].reduce((n, [u, c]) => n + c - (before.get(u) ?? 0), 0);
    expect(duringOutage).toBeGreaterThan(20);
    // Nothing is published after Redis returns: what was committed during the
    // outage can only arrive through the gateways' re-sync from Postgres.
    await redis.start();
    await waitUntil(async () => (await readyStatus(sys.gateways[0].url)) === 200 && (await readyStatus(sys.gateways[1].url)) === 200, { timeoutMs: 15000, intervalMs: 50, what: 'gateways ready again' });

    for (const [i, socket] of sockets.entries()) {
      const expected = sent.get(users[i]) ?? 0;
      const got = await socket.waitForNotifications(expected, 10000);
      expect(got.map((n) => n.seq)).toEqual(Array.from({ length: expected }, (_, k) => k + 1));
    }
    await sleep(300);
    for (const [i, socket] of sockets.entries()) expect(socket.notifications()).toHaveLength(sent.get(users[i]) ?? 0);
    expect(sockets.every((s) => s.ws.readyState === s.ws.OPEN)).toBe(true);
    const metrics = await http(sys.gateways[0].metricsUrl, 'GET', '/metrics');
    expect(metrics.body).toMatch(/herald_gateway_resumes_total\{outcome="resync_after_outage"\} [1-9]/);
    await Promise.all(sockets.map((s) => s.close()));
  }, 60000);
});

describe('faults: Postgres down', () => {
  let behind: SystemBehindProxy;
  let proxy: TcpProxy;
  let sys: TestSystem;

  beforeAll(async () => {
    behind = await startBehindPostgresProxy({ apis: 1, gateways: 1 });
    ({ proxy, sys } = behind);
  });
  afterAll(async () => {
    await behind?.close();
  });

  it('answers 503 unavailable with Retry-After, publishes nothing, keeps sockets open, and recovers by itself', async () => {
    const socket = await TestSocket.connect(sys.socketUrl(0, 'pg-user'));

    proxy.cut();
    const down = await sys.publish(['pg-user'], { title: 'during outage' });
    const ready = await readyStatus(sys.apis[0].url);
    await sleep(300);

    expect(down.status).toBe(503);
    expect(down.body.code).toBe('unavailable');
    expect(down.headers.get('retry-after')).toBeTruthy();
    expect(ready).toBe(503);
    expect(socket.notifications()).toHaveLength(0);
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);

    proxy.restore();
    await waitUntil(async () => (await sys.publish(['pg-user'], { title: 'after' })).status === 201, { timeoutMs: 15000, intervalMs: 50, what: 'POST to succeed again' });
    const [n] = await socket.waitForNotifications(1);
    expect(n.title).toBe('after');
    expect(n.seq).toBe(1);
    await socket.close();
  }, 40000);
});

describe('faults: a client that stops reading', () => {
  let sys: TestSystem;

  beforeAll(async () => {
    sys = await startTestSystem({ apis: 1, gateways: 1, env: { HERALD_SEND_BUFFER_BYTES: '65536' } });
  });
  afterAll(async () => {
    await sys.close();
  });

  it('is closed as a slow consumer once its send buffer passes the limit, while another user still gets everything', async () => {
    const slow = await TestSocket.connect(sys.socketUrl(0, 'slow'));
    const healthy = await TestSocket.connect(sys.socketUrl(0, 'healthy'));
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const bulk = { blob: 'x'.repeat(8000) };

    let sent = 0;
    // Bounded: stop at the close or after 1500 POSTs (12 MB), whichever is first.
    for (let i = 0; i < 1500; i += 25) {
      const results = await Promise.all(Array.from({ length: 25 }, () => sys.publish(['slow', 'healthy'], { data: bulk })));
      sent += results.filter((r) => r.status === 201).length;
      const metrics = await http(sys.gateways[0].metricsUrl, 'GET', '/metrics');
      if (/herald_gateway_closes_total\{code="4009"\} [1-9]/.test(metrics.body)) break;
    }

    const metrics = await http(sys.gateways[0].metricsUrl, 'GET', '/metrics');
    expect(metrics.body).toMatch(/herald_gateway_closes_total\{code="4009"\} 1/);
    const got = await healthy.waitForNotifications(sent, 15000);
    expect(got.map((n) => n.seq)).toEqual(Array.from({ length: sent }, (_, k) => k + 1));
    await healthy.close();
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await slow.closed;
  }, 60000);
});

describe('HTTP limits', () => {
  let sys: TestSystem;

  beforeAll(async () => {
    sys = await startTestSystem({ apis: 1, gateways: 0, env: { HERALD_PUBLISH_RATE_PER_SECOND: '5' } });
  });
  afterAll(async () => {
    await sys.close();
  });

  it('answers a body over the limit with 413 payload_too_large', async () => {
    const res = await http(sys.apis[0].url, 'POST', '/v1/notifications', {
      token: sys.serviceToken(),
      body: { recipients: ['a'], type: 't', title: 'x', body: 'y'.repeat(300 * 1024) },
    });

    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  it('answers 429 rate_limited with Retry-After once a service spends its budget, per service', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => sys.publish(['rl'])));
    const other = await http(sys.apis[0].url, 'POST', '/v1/notifications', {
      token: sys.serviceToken({ sub: 'another-service' }),
      body: { recipients: ['rl'], type: 't', title: 'x' },
    });

    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(7);
    expect(limited[0].body.code).toBe('rate_limited');
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(other.status).toBe(201);
  });
});
