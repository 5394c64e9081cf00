import { RateLimitedError } from '@herald/errors';

/**
 * One report per user per `intervalMs`, in this process. Remembers at most
 * `capacity` users (the oldest report forgotten first), so a flood of
 * tokens cannot grow it without bound; a forgotten user may report once
 * more early, which the per-report clamp keeps small.
 */
export class ReportIntervalGate {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly capacity = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Admits the report, or throws 429 `rate_limited` with the wait. */
  admit(userId: string): void {
    const now = this.now();
    const previous = this.last.get(userId);
    if (previous !== undefined && now - previous < this.intervalMs) {
      throw new RateLimitedError('client stats are reported once per interval', (previous + this.intervalMs - now) / 1000);
    }
    this.last.delete(userId); // re-inserted last: a Map keeps insertion order, oldest first
    this.last.set(userId, now);
    if (this.last.size > this.capacity) this.last.delete(this.last.keys().next().value as string);
  }
}
