/**
 * The lifecycle shared by the jobs one replica at a time does on a timer
 * (retention, partition upkeep, snooze wake-ups): in this process a run
 * never starts while another is in progress, and stop() clears the timer,
 * raises `stopping` (a run checks it between batches) and waits for the run
 * in progress, so it finishes its batch before the pool closes. Which
 * replica runs is the job's own advisory lock, not this.
 */
export class PeriodicJob<R> {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<R> | undefined;
  private stopped = false;

  /** True once stop() was called: a run ends at its next batch boundary. */
  get stopping(): boolean {
    return this.stopped;
  }

  /** Calls `tick` every `intervalMs` (never when it is ≤ 0); a failed tick is handed to `onError`, the timer goes on. */
  every(intervalMs: number, tick: () => Promise<unknown>, onError: (err: Error) => void): void {
    if (intervalMs <= 0 || this.stopped) return;
    this.timer = setInterval(() => void tick().catch(onError), intervalMs);
    this.timer.unref();
  }

  /** Starts `work` unless a run is in progress; then answers `busy` and starts nothing. */
  run(work: () => Promise<R>, busy: R): Promise<R> {
    if (this.inFlight) return Promise.resolve(busy);
    this.inFlight = work().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.inFlight?.catch(() => undefined);
  }
}
