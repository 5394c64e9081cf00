import { Redis } from 'ioredis';
import pg from 'pg';
import { REDIS_URL } from '../scripts/harness/services.mjs';
import { http } from './support/http-client.js';
import { startProcessSystem, type ProcessSystem } from './support/process-system.js';

const BUDGET = 20;
/** Per api process in one burst: more than the budget, so each process alone would admit BUDGET. */
const PER_API = 30;

/**
 * The publish budget is one per service token across api replicas although
 * each replica spends leased points locally (LeasedRateLimiter): two real
 * api processes, one burst through both inside one budget window.
 */
describe('publish rate limit shared by two api processes', () => {
  let sys: ProcessSystem;
  let redis: Redis;

  beforeAll(async () => {
    sys = await startProcessSystem({ apis: 2, gateways: 0, env: { HERALD_PUBLISH_RATE_PER_SECOND: String(BUDGET) } });
    redis = new Redis(REDIS_URL);
  }, 60_000);
  afterAll(async () => {
    await redis?.quit();
    await sys?.close();
  });

  const post = (url: string, title: string) =>
    http(url, 'POST', '/v1/notifications', { token: sys.serviceToken(), body: { recipients: ['budget-user'], type: 't', title } });

  /** One burst inside one window: the window starts with a POST, the burst must end before Redis expires it. */
  async function burstInOneWindow(attempt: number) {
    const key = `${sys.prefix}rl:publish:test-service`;
    await new Promise((r) => setTimeout(r, 1100)); // the previous attempt's window is over
    expect((await post(sys.apis[0].url, `open-${attempt}`)).status).toBe(201);
    const windowLeft = await redis.pttl(key);
    const started = Date.now();
    const results = await Promise.all(sys.apis.flatMap((api, a) => Array.from({ length: PER_API }, (_, i) => post(api.url, `b-${attempt}-${a}-${i}`))));
    return { results, attempt, inOneWindow: Date.now() - started < windowLeft - 50 };
  }

  it('admits at most the budget across both processes in a window, and answers 429 with Retry-After beyond it', async () => {
    let burst = await burstInOneWindow(0);
    for (let attempt = 1; !burst.inOneWindow && attempt < 5; attempt++) burst = await burstInOneWindow(attempt);
    expect(burst.inOneWindow).toBe(true);

    const admitted = burst.results.filter((r) => r.status === 201).length;
    const limited = burst.results.filter((r) => r.status === 429);
    // One point went to the POST that opened the window; the tolerance (LeasedRateLimiter) is 1.5 leases of 5 % per process.
    expect(admitted).toBeLessThanOrEqual(BUDGET - 1);
    expect(admitted).toBeGreaterThanOrEqual(BUDGET - 1 - Math.ceil(2 * 1.5 * Math.max(1, Math.floor(BUDGET * 0.05))));
    expect(limited.length + admitted).toBe(2 * PER_API);
    expect(limited[0].body).toMatchObject({ code: 'rate_limited', message: 'publish rate limit exceeded for this service token' });
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Both processes admitted from the one budget: the rows written are exactly the 201s.
    const db = new pg.Client({ connectionString: sys.db.url });
    await db.connect();
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM notifications WHERE title LIKE $1", [`b-${burst.attempt}-%`]);
    await db.end();
    expect(rows[0].n).toBe(admitted);
  });
});
