import { jest } from '@jest/globals';
import type { JobAttempt } from 'pg-boss';
import { EarlyCompletion } from './early-completion.js';

const job = (id: string, retryCount = 0) => ({ id, retryCount, name: 'q', data: {} });

describe('EarlyCompletion', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setup() {
    const calls: JobAttempt[][] = [];
    const sut = new EarlyCompletion(async (jobs) => void calls.push(jobs), 50);
    return { sut, calls };
  }

  it('completes the jobs done within the linger in one statement, as attempts', () => {
    const { sut, calls } = setup();
    sut.add(job('a'));
    jest.advanceTimersByTime(30);
    sut.add(job('b', 2));
    expect(calls).toHaveLength(0);
    jest.advanceTimersByTime(20);
    expect(calls).toEqual([[{ id: 'a', retryCount: 0 }, { id: 'b', retryCount: 2 }]]);
  });

  it('spends no statement when the batch ends within the linger', () => {
    const { sut, calls } = setup();
    sut.add(job('a'));
    sut.cancel();
    jest.advanceTimersByTime(1000);
    expect(calls).toHaveLength(0);
  });

  it('starts a new linger for a job done after a flush', () => {
    const { sut, calls } = setup();
    sut.add(job('a'));
    jest.advanceTimersByTime(50);
    sut.add(job('b'));
    jest.advanceTimersByTime(49);
    expect(calls).toEqual([[{ id: 'a', retryCount: 0 }]]);
    jest.advanceTimersByTime(1);
    expect(calls).toEqual([[{ id: 'a', retryCount: 0 }], [{ id: 'b', retryCount: 0 }]]);
  });

  it('swallows a failed statement: the jobs stay active for the batch to settle', async () => {
    const complete = jest.fn(async (_jobs: JobAttempt[]) => {
      throw new Error('connection lost');
    });
    const sut = new EarlyCompletion(complete, 50);
    sut.add(job('a'));
    jest.advanceTimersByTime(50);

    await expect(sut.cancel()).resolves.toBeUndefined();
    expect(complete).toHaveBeenCalledTimes(1);
  });

  it('lets the batch settle only after a completion under way has finished', async () => {
    let finish: () => void = () => undefined;
    const sut = new EarlyCompletion(() => new Promise<void>((resolve) => (finish = resolve)), 50);
    sut.add(job('a'));
    jest.advanceTimersByTime(50);
    let cancelled = false;
    const cancelling = sut.cancel().then(() => (cancelled = true));

    await Promise.resolve();
    expect(cancelled).toBe(false);
    finish();
    await cancelling;
    expect(cancelled).toBe(true);
  });
});
