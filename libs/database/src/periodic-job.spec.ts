import { jest } from '@jest/globals';
import { PeriodicJob } from './periodic-job.js';

/** A run that finishes when the test says so. */
function gate<T>() {
  let open: (v: T) => void = () => undefined;
  const done = new Promise<T>((resolve) => (open = resolve));
  return { done, open };
}

describe('PeriodicJob', () => {
  afterEach(() => jest.useRealTimers());

  it('answers `busy` and starts nothing while a run is in progress, then runs again once it ended', async () => {
    const sut = new PeriodicJob<string>();
    const first = gate<string>();
    const work = jest.fn(() => first.done);

    const a = sut.run(work, 'busy');
    const b = await sut.run(work, 'busy');
    first.open('ran');

    expect(b).toBe('busy');
    expect(await a).toBe('ran');
    expect(work).toHaveBeenCalledTimes(1);
    await expect(sut.run(async () => 'again', 'busy')).resolves.toBe('again');
  });

  it('stop() raises `stopping` and waits for the run in progress, even one that fails', async () => {
    const sut = new PeriodicJob<string>();
    const running = gate<string>();
    const run = sut.run(() => running.done.then(() => Promise.reject(new Error('batch failed'))), 'busy');
    run.catch(() => undefined);
    let stopped = false;

    const stopping = sut.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect({ stopping: sut.stopping, stopped }).toEqual({ stopping: true, stopped: false });
    running.open('x');
    await stopping;

    expect(stopped).toBe(true);
  });

  it('ticks every interval, hands a failed tick to onError and goes on; no timer for an interval ≤ 0 or after stop', async () => {
    jest.useFakeTimers();
    const sut = new PeriodicJob<void>();
    const onError = jest.fn();
    const tick = jest.fn<() => Promise<void>>().mockRejectedValueOnce(new Error('db down')).mockResolvedValue(undefined);
    const never = jest.fn<() => Promise<void>>();

    sut.every(100, tick, onError);
    new PeriodicJob<void>().every(0, never, onError);
    await jest.advanceTimersByTimeAsync(350);
    await sut.stop();
    sut.every(100, never, onError);
    await jest.advanceTimersByTimeAsync(500);

    expect(tick).toHaveBeenCalledTimes(3);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(never).not.toHaveBeenCalled();
  });
});
