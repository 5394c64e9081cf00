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
    // The probes' routes however they are spelled: the router matches any case, a trailing slash, HEAD.
    const probes = await Promise.all(
      [['GET', '/readyz'], ['GET', '/READYZ/'], ['HEAD', '/healthz'], ['GET', '/healthz?x=1']].map(([method, path]) => http(sys.apis[0].url, method, path, { from: '127.0.0.4' })),
    );

    expect(count(flood, 401)).toBeLessThanOrEqual(2 * IP_PER_SECOND);
    expect(count(flood, 429)).toBeGreaterThanOrEqual(60 - 2 * IP_PER_SECOND);
    expect(count(flood, 401) + count(flood, 429)).toBe(60);
    expect(flood.find((r) => r.status === 429)?.body).toMatchObject({ code: 'rate_limited', message: 'request rate limit exceeded for this address' });
    expect(neighbour.status).toBe(401);
    expect(statuses(probes)).toEqual([200, 200, 200, 200]); // health probes are never limited
  });

  it('spends the address budget before a body is read or a route is known', async () => {
    const malformed = await Promise.all(Array.from({ length: 60 }, (_, i) => http(sys.apis[i % 2].url, 'POST', '/v1/notifications', { token: 'not-a-token', from: '127.0.0.6', rawBody: '{not json' })));
    const unknown = await Promise.all(Array.from({ length: 60 }, (_, i) => call(i, 'GET', '/wp-login.php', undefined, '127.0.0.7')));

    expect(count(malformed, 400)).toBeLessThanOrEqual(2 * IP_PER_SECOND);
    expect(count(malformed, 429)).toBeGreaterThanOrEqual(60 - 2 * IP_PER_SECOND);
    expect(count(malformed, 400) + count(malformed, 429)).toBe(60);
    const refused = malformed.find((r) => r.status === 429);
    expect(refused?.headers.get('retry-after')).toMatch(/^\d+$/);
    // Its body is never read: the connection closes rather than drain it.
    expect(refused?.headers.get('connection')).toBe('close');
    expect(count(unknown, 404)).toBeLessThanOrEqual(2 * IP_PER_SECOND);
    expect(count(unknown, 404) + count(unknown, 429)).toBe(60);
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
