import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { LeasedRateLimiter } from './leased-rate-limiter.js';

/** Real Redis (127.0.0.1:6379, as every suite here); each test counts under its own prefix. */
describe('LeasedRateLimiter', () => {
  let redis: Redis;
  let evals: number;
  let prefix: string;
  const counting = () => ({
    commandTimeoutMs: 1000,
    client: new Proxy(redis, {
      get: (target, prop) => (prop === 'eval' ? (...args: unknown[]) => (evals++, (target.eval as (...a: unknown[]) => Promise<unknown>)(...args)) : Reflect.get(target, prop)),
    }),
  });

  beforeAll(() => {
    redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: false, maxRetriesPerRequest: 1 });
  });
  beforeEach(() => {
    evals = 0;
    prefix = `spec-leased-${randomBytes(4).toString('hex')}:rl:publish`;
  });
  afterEach(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('spends leased points locally: one Redis round trip for many requests', async () => {
    const sut = new LeasedRateLimiter(counting(), prefix, { points: 1000, durationSeconds: 1 });

    const decisions = [];
    for (let i = 0; i < 40; i++) decisions.push(await sut.consume('svc'));

    expect(decisions.every((d) => d.allowed)).toBe(true);
    // 40 of a 50-point lease: the first lease, and one background refill once half of it is spent.
    expect(evals).toBeLessThanOrEqual(2);
    expect(Number(await redis.get(`${prefix}:svc`))).toBeGreaterThanOrEqual(50);
  });

  it('keeps one budget across replicas: together they never admit more than the points of a window', async () => {
    const a = new LeasedRateLimiter(counting(), prefix, { points: 100, durationSeconds: 1 });
    const b = new LeasedRateLimiter(counting(), prefix, { points: 100, durationSeconds: 1 });

    const decisions = await Promise.all(Array.from({ length: 300 }, (_, i) => (i % 2 ? a : b).consume('svc')));

    const allowed = decisions.filter((d) => d.allowed).length;
    expect(allowed).toBeLessThanOrEqual(100);
    // The documented tolerance: each replica may hold up to 1.5 leases (7.5 points here) unspent.
    expect(allowed).toBeGreaterThanOrEqual(100 - 2 * 7.5);
    const refused = decisions.find((d) => !d.allowed);
    expect(refused?.retryAfterMs).toBeGreaterThan(0);
    expect(refused?.retryAfterMs).toBeLessThanOrEqual(1000);
  });

  it('refuses from memory once the budget is spent, and admits again in the next window', async () => {
    const sut = new LeasedRateLimiter(counting(), prefix, { points: 5, durationSeconds: 1 });
    const first = await Promise.all(Array.from({ length: 8 }, () => sut.consume('svc')));
    const callsWhenSpent = evals;

    const more = await Promise.all(Array.from({ length: 20 }, () => sut.consume('svc')));

    expect(first.filter((d) => d.allowed)).toHaveLength(5);
    expect(more.every((d) => !d.allowed)).toBe(true);
    expect(evals).toBe(callsWhenSpent);
    await new Promise((r) => setTimeout(r, Math.max(...more.map((d) => d.retryAfterMs)) + 20));
    expect((await sut.consume('svc')).allowed).toBe(true);
  });

  it('keeps each key to its own budget', async () => {
    const sut = new LeasedRateLimiter(counting(), prefix, { points: 2, durationSeconds: 1 });

    const a = await Promise.all([sut.consume('a'), sut.consume('a'), sut.consume('a')]);
    const b = await sut.consume('b');

    expect(a.map((d) => d.allowed)).toEqual([true, true, false]);
    expect(b.allowed).toBe(true);
  });

  it('counts in this process alone while Redis fails, and does not ask Redis on every request', async () => {
    let calls = 0;
    const broken = { commandTimeoutMs: 1000, client: { eval: () => (calls++, Promise.reject(new Error('Connection is closed'))) } } as never;
    const sut = new LeasedRateLimiter(broken, prefix, { points: 3, durationSeconds: 1 });

    const decisions = [];
    for (let i = 0; i < 5; i++) decisions.push(await sut.consume('svc'));

    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
    expect(calls).toBe(1);
  });

  it('does not wait past the command timeout for a Redis that hangs', async () => {
    const hung = { commandTimeoutMs: 50, client: { eval: () => new Promise(() => undefined) } } as never;
    const sut = new LeasedRateLimiter(hung, prefix, { points: 3, durationSeconds: 1 });

    const started = Date.now();
    const decision = await sut.consume('svc');

    expect(decision.allowed).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
