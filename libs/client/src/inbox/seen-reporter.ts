import { MAX_BULK_IDS } from '@herald/contracts';
import type { Timers } from '../platform.js';
import { isNetworkError } from '../herald-errors.js';
import { RecentIds } from './recent-ids.js';

/**
 * Batches "these were shown" into `POST /v1/notifications/bulk { action:
 * 'seen', ids }`: one request per `delayMs` however many items render,
 * each id reported once (the last `capacity` remembered), at most
 * MAX_BULK_IDS waiting; ids that failed on the network wait for the next batch.
 */
export class SeenReporter {
  private pending = new Set<string>();
  private readonly reported: RecentIds;
  private timer: unknown = null;

  constructor(
    private readonly send: (ids: string[]) => Promise<unknown>,
    private readonly timers: Timers,
    private readonly delayMs: number,
    private readonly onError: (error: unknown) => void,
    capacity = 1000,
  ) {
    this.reported = new RecentIds(capacity);
  }

  add(ids: Iterable<string>): void {
    for (const id of ids) {
      if (this.reported.has(id) || this.pending.size >= MAX_BULK_IDS) continue;
      this.pending.add(id);
    }
    if (this.pending.size > 0 && this.timer === null) {
      this.timer = this.timers.setTimeout(() => void this.flush(), this.delayMs);
    }
  }

  /** Sends what is waiting now (also what the timer does). */
  async flush(): Promise<void> {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    const ids = [...this.pending];
    this.pending = new Set();
    if (ids.length === 0) return;
    ids.forEach((id) => this.reported.add(id));
    try {
      await this.send(ids);
    } catch (error) {
      if (!isNetworkError(error)) return this.onError(error);
      // Offline: try these again with the next batch.
      ids.forEach((id) => this.reported.delete(id));
      this.add(ids);
    }
  }

  stop(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
