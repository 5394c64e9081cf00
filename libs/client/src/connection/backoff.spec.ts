import fc from 'fast-check';
import { Backoff, backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('uses the whole window: 0 at random 0, just under the ceiling near 1', () => {
    expect(backoffDelay(0, { random: () => 0 })).toBe(0);
    expect(backoffDelay(0, { random: () => 0.999 })).toBe(499);
    expect(backoffDelay(3, { random: () => 0.999 })).toBe(3996);
  });

  it('doubles the ceiling per attempt from a 500 ms base', () => {
    const ceilings = [0, 1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, { random: () => 1 }));

    expect(ceilings).toEqual([500, 1000, 2000, 4000, 8000, 16000]);
  });

  it('caps the ceiling at 30 s, however many attempts', () => {
    expect(backoffDelay(6, { random: () => 1 })).toBe(30_000);
    expect(backoffDelay(10_000, { random: () => 1 })).toBe(30_000);
  });

  it('stays within [0, min(cap, base * 2^attempt)) for any attempt and random', () => {
    fc.assert(
      fc.property(fc.nat(2000), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const delay = backoffDelay(attempt, { random: () => r });
        return delay >= 0 && delay < Math.max(1, Math.min(30_000, 500 * 2 ** attempt));
      }),
    );
  });
});

describe('Backoff', () => {
  it('widens the window on each next() and narrows it again on reset()', () => {
    const sut = new Backoff({ random: () => 1, baseMs: 100, capMs: 1000 });

    const delays = [sut.next(), sut.next(), sut.next(), sut.next(), sut.next()];
    sut.reset();

    expect(delays).toEqual([100, 200, 400, 800, 1000]);
    expect(sut.next()).toBe(100);
  });

  it('has no attempt limit', () => {
    const sut = new Backoff({ random: () => 0.5 });

    for (let i = 0; i < 100; i++) sut.next();

    expect(sut.attempts).toBe(100);
    expect(sut.next()).toBe(15_000);
  });
});
