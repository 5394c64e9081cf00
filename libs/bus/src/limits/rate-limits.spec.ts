import { memoryLimiter } from './flexible-rate-limiter.js';
import { LimitName, limitSpecs, RateLimits } from './rate-limits.js';
import { unlimited, type LimitSpec } from './rate-limiter.js';

const limits = { ticketsPerMinute: 2, maxTicketsPerUser: 5, inboxRequestsPerMinute: 3, ipRequestsPerSecond: 0, ipHandshakesPerMinute: 7 };

describe('RateLimits', () => {
  it('builds every named budget through the one factory, and none that is turned off', () => {
    const built: [string, LimitSpec][] = [];

    const sut = new RateLimits({ limits }, (name, spec) => {
      built.push([name, spec]);
      return memoryLimiter(spec);
    });

    expect(built).toEqual([
      [LimitName.Tickets, { points: 2, durationSeconds: 60 }],
      [LimitName.Inbox, { points: 3, durationSeconds: 60 }],
      [LimitName.IpHandshakes, { points: 7, durationSeconds: 60 }],
    ]);
    expect(sut.get(LimitName.IpRequests)).toBe(unlimited);
  });

  it('refuses a key past its points, with when to retry, and leaves other keys alone', async () => {
    const sut = new RateLimits({ limits }, (_name, spec) => memoryLimiter(spec)).get(LimitName.Tickets);

    const decisions = [await sut.consume('a'), await sut.consume('a'), await sut.consume('a'), await sut.consume('b')];

    expect(decisions.map((d) => d.allowed)).toEqual([true, true, false, true]);
    expect(decisions[2].retryAfterMs).toBeGreaterThan(0);
    expect(decisions[2].retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('reads each budget from the configuration', () => {
    expect(limitSpecs({ limits })[LimitName.IpRequests]).toEqual({ points: 0, durationSeconds: 1 });
  });
});
