export interface GroupCommitOptions {
  /** Most items in one batch. */
  maxItems: number;
  /** Most weight (e.g. rows) in one batch; an item heavier than this goes alone. */
  maxWeight: number;
  /** Batches running at once. */
  maxInFlight: number;
  /**
   * A batch beyond the first starts only while this much weight waits:
   * light items gather behind the running batch (fewer statements per item),
   * heavy ones run side by side (the database's time dominates). Default 0.
   */
  parallelMinWeight?: number;
}

type Pending<T, R> = { item: T; weight: number; resolve: (r: R) => void; reject: (e: unknown) => void };

/**
 * Group commit for a stream of independent writes. An item submitted while
 * fewer than `maxInFlight` batches run starts at once, alone: no added
 * latency when idle. Items that arrive while batches are running wait and
 * leave together in the next batch, so under load N requests share one
 * transaction and one fsync instead of paying for N.
 */
export class GroupCommit<T, R> {
  private queue: Pending<T, R>[] = [];
  private queuedWeight = 0;
  private inFlight = 0;

  constructor(
    private readonly run: (items: T[]) => Promise<(R | Error)[]>,
    private readonly weigh: (item: T) => number,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const weight = this.weigh(item);
      this.queue.push({ item, weight, resolve, reject });
      this.queuedWeight += weight;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      if (this.inFlight > 0 && this.queuedWeight < (this.options.parallelMinWeight ?? 0)) return;
      const batch = this.take();
      this.inFlight++;
      this.run(batch.map((p) => p.item))
        .then(
          (results) => batch.forEach((p, i) => (results[i] instanceof Error ? p.reject(results[i]) : p.resolve(results[i] as R))),
          (err: unknown) => batch.forEach((p) => p.reject(err)),
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }

  private take(): Pending<T, R>[] {
    let weight = 0;
    let n = 0;
    while (n < this.queue.length && n < this.options.maxItems) {
      const w = this.queue[n].weight;
      if (n > 0 && weight + w > this.options.maxWeight) break;
      weight += w;
      n++;
    }
    this.queuedWeight -= weight;
    return this.queue.splice(0, n);
  }
}
