import { connect } from 'node:net';
import { http, type HttpResult } from './support/http-client.js';
import { startTestSystem, type TestSystem } from './support/test-system.js';
import { TestSocket } from './support/test-socket.js';

const statuses = (results: HttpResult[]) => results.map((r) => r.status);
const count = (results: HttpResult[], status: number) => results.filter((r) => r.status === status).length;

/**
 * The per-user budgets (tickets, inbox) and the per-address budget on every
 * HTTP request, through two api replicas that share one count in Redis.
 * Each test sends from a loopback address of its own, so each is a client
 * address of its own to the per-address budget.
 */
describe('HTTP budgets per user and per client address, one across api replicas', () => {
  let sys: TestSystem;
  const IP_PER_SECOND = 10;

  beforeAll(async () => {
    sys = await startTestSystem({
      apis: 2,
      gateways: 1,
      env: {
        HERALD_TICKETS_PER_MINUTE: '4',
        HERALD_MAX_TICKETS_PER_USER: '3',
        HERALD_INBOX_REQUESTS_PER_MINUTE: '5',
        HERALD_IP_REQUESTS_PER_SECOND: String(IP_PER_SECOND),
        HERALD_TRUSTED_PROXIES: '127.0.0.9',
      },
    });
  });
  afterAll(async () => {
    await sys.close();
  });

  /** Request `i` goes to api `i % 2`. */
  const call = (i: number, method: string, path: string, token: string | undefined, from: string, headers: Record<string, string> = {}) =>
    http(sys.apis[i % 2].url, method, path, { token, from, headers });

  it('caps unused tickets per user, then the tickets a user may take per minute (429 with Retry-After)', async () => {
    const token = sys.userToken('t-user');
    const ticket = async (i: number) => call(i, 'POST', '/v1/ws-tickets', token, '127.0.0.2');

    const unused = [await ticket(0), await ticket(1), await ticket(2)];
    const overCap = await ticket(3);
    const socket = await TestSocket.connect(`${sys.gateways[0].wsUrl}?ticket=${unused[0].body.ticket}`);
    const overRate = await ticket(4);
    const otherUser = await call(5, 'POST', '/v1/ws-tickets', sys.userToken('t-other'), '127.0.0.2');

    expect(statuses(unused)).toEqual([201, 201, 201]);
    expect(overCap.body).toMatchObject({ statusCode: 429, code: 'rate_limited', message: 'too many unused socket tickets for this user' });
    expect(Number(overCap.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // One used ticket frees a place, but the fifth ticket in a minute is over the budget of 4.
    expect(overRate.body).toMatchObject({ statusCode: 429, code: 'rate_limited', message: 'tickets rate limit exceeded for this user' });
    expect(Number(overRate.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(otherUser.status).toBe(201);
    await socket.close();
  });

  it("counts one inbox budget per user across both replicas, every inbox route alike", async () => {
    const token = sys.userToken('i-user');
    const paths: [string, string][] = [['GET', '/v1/notifications'], ['GET', '/v1/notifications/unread-count'], ['POST', '/v1/notifications/read-all']];

    const results: HttpResult[] = [];
    for (let i = 0; i < 6; i++) results.push(await call(i, paths[i % 3][0], paths[i % 3][1], token, '127.0.0.3'));
    const otherUser = await call(0, 'GET', '/v1/notifications', sys.userToken('i-other'), '127.0.0.3');

    expect(statuses(results)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(results[5].body).toMatchObject({ code: 'rate_limited' });
    expect(results[5].headers.get('retry-after')).toMatch(/^\d+$/);
    expect(otherUser.status).toBe(200);
  });

  it('cuts a flood from one address before any token is checked, and only that address', async () => {
    // Fired at once: at most two one-second windows pass, so at most 2 × 10 are admitted.
    const flood = await Promise.all(Array.from({ length: 60 }, (_, i) => call(i, 'GET', '/v1/notifications', 'not-a-token', '127.0.0.4')));
    const neighbour = await call(0, 'GET', '/v1/notifications', 'not-a-token', '127.0.0.5');
    // The probes' routes however they are spelled (the router matches any case, a trailing slash, HEAD),
    // beside more of the flood, so that the address is over its budget while they are answered.
    const [probes, moreFlood] = await Promise.all([
      Promise.all([['GET', '/readyz'], ['GET', '/READYZ/'], ['HEAD', '/healthz'], ['GET', '/healthz?x=1']].map(([method, path]) => http(sys.apis[0].url, method, path, { from: '127.0.0.4' }))),
      Promise.all(Array.from({ length: 30 }, (_, i) => call(i, 'GET', '/v1/notifications', 'not-a-token', '127.0.0.4'))),
    ]);

    expect(count(flood, 401)).toBeLessThanOrEqual(2 * IP_PER_SECOND);
    expect(count(flood, 429)).toBeGreaterThanOrEqual(60 - 2 * IP_PER_SECOND);
    expect(count(flood, 401) + count(flood, 429)).toBe(60);
    expect(flood.find((r) => r.status === 429)?.body).toMatchObject({ code: 'rate_limited', message: 'request rate limit exceeded for this address' });
    expect(neighbour.status).toBe(401);
    expect(count(moreFlood, 429)).toBeGreaterThan(0);
    expect(statuses(probes)).toEqual([200, 200, 200, 200]); // health probes are never limited
  });

  it('spends the address budget before a body is read or a route is known', async () => {
    const malformed = await Promise.all(Array.from({ length: 60 }, (_, i) => http(sys.apis[i % 2].url, 'POST', '/v1/notifications', { token: 'not-a-token', from: '127.0.0.6', rawBody: '{not json' })));
    const unknown = await Promise.all(Array.from({ length: 60 }, (_, i) => call(i, 'GET', '/wp-login.php', undefined, '127.0.0.7')));

    expect(count(malformed, 400)).toBeLessThanOrEqual(2 * IP_PER_SECOND);
    expect(count(malformed, 429)).toBeGreaterThanOrEqual(60 - 2 * IP_PER_SECOND);
    expect(count(malformed, 400) + count(malformed, 429)).toBe(60);
    expect(malformed.find((r) => r.status === 429)?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(count(unknown, 404)).toBeLessThanOrEqual(2 * IP_PER_SECOND);
    expect(count(unknown, 404) + count(unknown, 429)).toBe(60);
  });

  it('never reads a refused body: the connection closes while the sender is still sending', async () => {
    let refusal: { head: string; closed: boolean } | undefined;
    // A window may roll over between the flood and the request; then it is admitted, and tried again.
    for (let attempt = 0; attempt < 3 && !refusal?.head.startsWith('HTTP/1.1 429'); attempt++) {
      await Promise.all(Array.from({ length: 3 * IP_PER_SECOND }, () => http(sys.apis[0].url, 'GET', '/wp-login.php', { from: '127.0.0.8' })));
      refusal = await sendPartOfHugeBody(sys.apis[0].url, '127.0.0.8');
    }

    expect(refusal?.head).toMatch(/^HTTP\/1\.1 429 /);
    expect(refusal?.closed).toBe(true);
  });

  it('believes X-Forwarded-For only from a trusted proxy', async () => {
    // 40 clients behind the trusted proxy, and 40 made-up addresses from a peer that is not trusted.
    const viaProxy = (i: number) => call(i, 'GET', '/v1/notifications', undefined, '127.0.0.9', { 'x-forwarded-for': `198.51.100.${i}` });
    const lying = (i: number) => call(i, 'GET', '/v1/notifications', undefined, '127.0.0.10', { 'x-forwarded-for': `198.51.100.${i}` });

    const [proxied, spoofed] = await Promise.all([Promise.all(Array.from({ length: 40 }, (_, i) => viaProxy(i))), Promise.all(Array.from({ length: 40 }, (_, i) => lying(i)))]);

    // Each client behind the proxy has a budget of its own; the made-up header buys nothing.
    expect(count(proxied, 401)).toBe(40);
    expect(count(spoofed, 429)).toBeGreaterThanOrEqual(40 - 2 * IP_PER_SECOND);
  });
});

/**
 * Declares a 10 MB JSON body, sends its first kilobyte and no more, and
 * reports the answer's status line and whether the api closed the
 * connection within 2 s. A server that drained the body would wait for the
 * rest and keep the connection open.
 */
function sendPartOfHugeBody(base: string, from: string): Promise<{ head: string; closed: boolean }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    let received = '';
    const socket = connect({ host: hostname, port: Number(port), localAddress: from }, () => {
      socket.write(`POST /v1/notifications HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{"title":"${'x'.repeat(1024)}`);
    });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ head: received.split('\r\n')[0], closed: false });
    }, 2000);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ head: received.split('\r\n')[0], closed: true });
    });
    // A close with the rest of the body unread may reach this end as a reset, after the answer.
    socket.on('error', () => undefined);
  });
}
