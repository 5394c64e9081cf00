import { RateLimitedError } from '@herald/errors';
import { ReportIntervalGate } from './report-interval-gate.js';

describe('ReportIntervalGate', () => {
  it('admits one report per user per interval, each user on its own clock', () => {
    let now = 0;
    const sut = new ReportIntervalGate(10_000, 100, () => now);

    sut.admit('ana');
    sut.admit('bo');
    now = 9_999;
    expect(() => sut.admit('ana')).toThrow(RateLimitedError);
    now = 10_000;
    expect(() => sut.admit('ana')).not.toThrow();
  });

  it('remembers at most `capacity` users, forgetting the oldest report', () => {
    const sut = new ReportIntervalGate(10_000, 2, () => 0);

    sut.admit('a');
    sut.admit('b');
    sut.admit('c'); // forgets a

    expect(() => sut.admit('a')).not.toThrow();
    expect(() => sut.admit('c')).toThrow(RateLimitedError);
  });
});
