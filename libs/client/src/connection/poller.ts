import type { Timers } from '../platform.js';

/**
 * Runs `poll` now and then every `intervalMs` after the previous run ends
 * (a timeout chain, not setInterval, so a slow server never gets overlapping
 * polls).
 */
export class Poller {
  private handle: unknown = null;
  /** Bumped by start/stop, so a chain that outlived a stop() ends itself. */
  private run = 0;
  private active = false;

  constructor(
    private readonly intervalMs: number,
    private readonly timers: Timers,
    private readonly poll: () => Promise<void>,
  ) {}

  get running(): boolean {
    return this.active;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    void this.tick(++this.run);
  }

  stop(): void {
    this.active = false;
    this.run++;
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
  }

  private async tick(run: number): Promise<void> {
    // The caller reports errors; one failed poll must not end the chain.
    await this.poll().catch(() => undefined);
    if (run !== this.run) return;
    this.handle = this.timers.setTimeout(() => {
      this.handle = null;
      if (run === this.run) void this.tick(run);
    }, this.intervalMs);
  }
}
