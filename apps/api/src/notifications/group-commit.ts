export interface GroupCommitOptions<T = unknown, R = unknown> {
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
  /**
   * A batch beyond the first also starts once the oldest running batch has
   * run this long (ms): a statement that stalls (an fsync, a lock wait)
   * does not hold back everything that arrives behind it. Default: never.
   */
  parallelAfterMs?: number;
  /**
   * Starts once a batch's results are in, just before its slot is freed,
   * and settles before its items resolve: work that must follow the batch
   * (publishing what it committed). Its synchronous part runs ahead of the
   * next batch's statement (a publish's write goes out first), so a large
   * batch's frames are built before the next statement starts instead of
   * beside it; what it awaits does not hold back the next batch. It may
   * answer the results the items then resolve with, where that work decides
   * them (a request whose only effect is the publish fails when the publish
   * did). Must not throw; if it does, the batch's own results stand.
   */
  afterRun?: (items: T[], results: (R | Error)[]) => Promise<(R | Error)[] | void>;
  /**
   * What may wait for a batch at once: past either, a submit fails at once
   * with `refuse('full')`. While the database stalls, nothing else stops
   * the queue from growing with every request that arrives. Default: no limit.
   */
  maxQueued?: { items: number; weight: number };
  /**
   * Longest an item waits for its batch to start (ms); then it fails with
   * `refuse('expired')`, never having run. Default: no limit.
   */
  maxQueueMs?: number;
  /** The error of an item refused by maxQueued or maxQueueMs. */
  refuse?: (why: 'full' | 'expired') => Error;
}

type Pending<T, R> = { item: T; weight: number; queuedAt: number; resolve: (r: R) => void; reject: (e: unknown) => void };

/**
 * Group commit for a stream of independent writes. An item submitted while
 * fewer than `maxInFlight` batches run starts at once, alone: no added
 * latency when idle. Items that arrive while batches are running wait and
 * leave together in the next batch, so under load N requests share one
 * transaction and one fsync instead of paying for N. A batch's slot is
 * freed as soon as its results are in and `afterRun` has started.
 */
export class GroupCommit<T, R> {
  private queue: Pending<T, R>[] = [];
  private queuedWeight = 0;
  private inFlight = 0;
  /** Start times (performance.now()) of the running batches, oldest first. */
  private readonly started: number[] = [];
  /** Armed while items wait and maxQueueMs is set: fails those that waited too long. */
  private expiry: NodeJS.Timeout | undefined;

  constructor(
    private readonly run: (items: T[]) => Promise<(R | Error)[]>,
    private readonly weigh: (item: T) => number,
    private readonly options: GroupCommitOptions<T, R>,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const weight = this.weigh(item);
      const limit = this.options.maxQueued;
      if (limit && this.queue.length > 0 && (this.queue.length >= limit.items || this.queuedWeight + weight > limit.weight)) {
        reject(this.refusal('full'));
        return;
      }
      this.queue.push({ item, weight, queuedAt: performance.now(), resolve, reject });
      this.queuedWeight += weight;
      this.pump();
      if (this.queue.length > 0) this.armExpiry();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      if (this.inFlight > 0 && this.queuedWeight < (this.options.parallelMinWeight ?? 0) && !this.stalled()) return;
      const batch = this.take();
      const items = batch.map((p) => p.item);
      const startedAt = performance.now();
      this.inFlight++;
      this.started.push(startedAt);
      const done = () => {
        this.inFlight--;
        this.started.splice(this.started.indexOf(startedAt), 1);
        this.pump();
      };
      this.run(items).then(
        async (ran) => {
          const after = this.startAfterRun(items, ran);
          done();
          const results = (after && (await after.catch(() => undefined))) || ran;
          batch.forEach((p, i) => (results[i] instanceof Error ? p.reject(results[i]) : p.resolve(results[i] as R)));
        },
        (err: unknown) => {
          done();
          batch.forEach((p) => p.reject(err));
        },
      );
    }
  }

  /** afterRun's promise, if there is an afterRun; one that throws at once counts as one that rejected. */
  private startAfterRun(items: T[], ran: (R | Error)[]): Promise<(R | Error)[] | void> | undefined {
    try {
      return this.options.afterRun?.(items, ran);
    } catch {
      return undefined;
    }
  }

  /** One timer for the whole queue, due when its oldest item's wait runs out. */
  private armExpiry(): void {
    const maxMs = this.options.maxQueueMs;
    if (maxMs === undefined || this.expiry !== undefined) return;
    this.expiry = setTimeout(() => this.expire(), Math.max(0, this.queue[0].queuedAt + maxMs - performance.now()));
    this.expiry.unref();
  }

  /**
   * Fails the items that waited past maxQueueMs (the oldest are first), and
   * re-arms for the rest. It starts what may start first: a batch that
   * stalled since the last submit has freed a second lane for them.
   */
  private expire(): void {
    this.expiry = undefined;
    this.pump();
    const cutoff = performance.now() - (this.options.maxQueueMs ?? Infinity);
    let n = 0;
    while (n < this.queue.length && this.queue[n].queuedAt <= cutoff) n++;
    for (const p of this.queue.splice(0, n)) {
      this.queuedWeight -= p.weight;
      p.reject(this.refusal('expired'));
    }
    if (this.queue.length > 0) this.armExpiry();
  }

  private refusal(why: 'full' | 'expired'): Error {
    return this.options.refuse?.(why) ?? new Error(why === 'full' ? 'group commit queue full' : 'waited too long for a batch');
  }

  /** The oldest running batch has run past `parallelAfterMs`. */
  private stalled(): boolean {
    const after = this.options.parallelAfterMs;
    return after !== undefined && this.started.length > 0 && performance.now() - this.started[0] >= after;
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
