import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import {
  AdvisoryLocks, Database, InboxRepository, PARTITIONS_LOCK_KEY, PartitionsRepository, PeriodicJob, periodsOf, uncovered, wantedRange, type SqlExecutor,
} from '@herald/database';

/** Users whose unread counts one transaction settles when a retired partition is dropped. */
export const SETTLE_BATCH_USERS = 1000;
const DAY_MS = 86_400_000;

export interface PartitionRun {
  /** True when another replica held the lock at the first step, so this one did nothing. */
  skipped: boolean;
  created: string[];
  /** Receipts partitions made or dropped to match notifications' partitions (what an older release left during an upgrade). */
  mended: string[];
  /** Partitions wholly past retention, detached and then dropped. */
  dropped: string[];
  /** Rows that went with them. */
  rows: number;
}

/**
 * Keeps `notifications`' time partitions: creates the current one and
 * HERALD_PARTITIONS_AHEAD more of HERALD_PARTITION_PERIOD, so inserts never
 * land in the DEFAULT partition, each with its receipts partition beside it
 * (a partition an older release made without one gets one; receipts
 * partitions whose notifications partition an older release retired go); detaches each partition whose every row is
 * older than HERALD_RETENTION_DAYS (its upper bound is), takes its rows
 * off their users' counters and drops it. Runs at boot and then with the
 * retention timer. Each step is one transaction under an advisory lock, so
 * across api replicas one changes partitions at a time; a step that finds
 * the lock taken stops the run, the holder doing the work. Time is the
 * database's clock, the one created_at comes from.
 */
@Injectable()
export class PartitionMaintenanceService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PartitionMaintenanceService.name);
  private readonly job = new PeriodicJob<PartitionRun>();

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(PartitionsRepository) private readonly partitions: PartitionsRepository,
    @Inject(InboxRepository) private readonly inbox: InboxRepository,
    @Inject(AdvisoryLocks) private readonly locks: AdvisoryLocks,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  /**
   * Partitions for new rows exist before the first request. Retiring old
   * ones goes on after boot: settling a partition of millions of rows takes
   * minutes (a pod back after a long outage, a shortened retention), and an
   * api that waited for it would not listen, and would fail its probes,
   * meanwhile. A database that fails here is retried by the timer.
   */
  async onApplicationBootstrap(): Promise<void> {
    const failed = (err: Error) => this.logger.warn(`partition maintenance failed: ${err.message}`);
    await this.runOnce(undefined, SETTLE_BATCH_USERS, { retire: false }).catch(failed);
    void this.runOnce().catch(failed);
    this.job.every(this.config.retentionIntervalMs, () => this.runOnce(), failed);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /**
   * One run; `now` and the batch size are for tests that move the clock or want several batches. `retire: false`
   * only makes partitions (and mends receipts partitions), leaving those past retention for a later run.
   */
  runOnce(now?: Date, settleBatch = SETTLE_BATCH_USERS, { retire = true } = {}): Promise<PartitionRun> {
    return this.job.run(() => this.run(now, settleBatch, retire), { skipped: true, created: [], mended: [], dropped: [], rows: 0 });
  }

  private async run(clock: Date | undefined, settleBatch: number, retire: boolean): Promise<PartitionRun> {
    const result: PartitionRun = { skipped: false, created: [], mended: [], dropped: [], rows: 0 };
    const now = clock ?? (await this.partitions.clock(this.db));
    const { period, ahead } = this.config.partitions;
    const wanted = wantedRange(now, period, ahead);
    const cutoff = new Date(now.getTime() - this.config.retentionDays * DAY_MS);
    const steps: { step: (tx: SqlExecutor) => Promise<string | null>; done: string[] }[] = [
      {
        // The list is read again under the lock: another replica may have just made the same partition.
        step: async (tx) => {
          const [gap] = uncovered(wanted, await this.partitions.list(tx)).flatMap((g) => periodsOf(g, period));
          return gap ? this.partitions.create(tx, gap) : null;
        },
        done: result.created,
      },
      {
        step: async (tx) => {
          const bare = await this.partitions.withoutReceipts(tx);
          return bare ? this.partitions.createReceipts(tx, bare) : null;
        },
        done: result.mended,
      },
      {
        step: async (tx) => {
          const orphan = await this.partitions.receiptsWithoutNotifications(tx);
          return orphan ? this.partitions.dropReceipts(tx, orphan) : null;
        },
        done: result.mended,
      },
    ];
    if (retire) {
      steps.push({
        step: async (tx) => {
          const old = (await this.partitions.list(tx)).find((p) => p.to <= cutoff);
          return old ? this.partitions.detach(tx, old.name) : null;
        },
        done: [],
      });
    }
    for (const { step, done } of steps) {
      for (;;) {
        if (this.job.stopping) return result;
        const outcome = await this.locked(step);
        if (outcome === undefined) return this.logged({ ...result, skipped: result.created.length === 0 });
        if (outcome === null) break;
        done.push(outcome);
      }
    }
    for (const table of retire ? await this.partitions.retired(this.db) : []) {
      if (this.job.stopping) return this.logged(result);
      const rows = await this.settle(table, settleBatch);
      if (rows === undefined) return this.logged(result);
      result.dropped.push(table);
      result.rows += rows;
    }
    return this.logged(result);
  }

  /**
   * Takes a retired partition's rows off their users' counters, a
   * batch of users per transaction (each batch records how far it got, in
   * the same transaction), and drops it with the last batch. Answers the
   * rows it held; undefined when another replica holds the lock, or when the
   * api stops between batches (the next run goes on from the recorded user:
   * a shutdown does not wait for a partition of millions of rows).
   */
  private async settle(table: string, batchUsers: number): Promise<number | undefined> {
    let rows = 0;
    for (;;) {
      if (this.job.stopping) return undefined;
      const batch = await this.locked(async (tx) => {
        const next = await this.partitions.retiredBatch(tx, table, batchUsers);
        await this.inbox.subtractCounters(tx, next.gone);
        if (next.users < batchUsers) await this.partitions.drop(tx, table);
        else await this.partitions.markSettled(tx, table, next.lastUser as string);
        return next;
      });
      if (batch === undefined) return undefined;
      rows += batch.rows;
      if (batch.users < batchUsers) return rows;
    }
  }

  /** `work` in one transaction under the partitions lock; undefined when another transaction holds it. */
  private async locked<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T | undefined> {
    return this.db.transaction(async (tx) => ((await this.locks.tryForTransaction(tx, PARTITIONS_LOCK_KEY)) ? work(tx) : undefined));
  }

  private logged(result: PartitionRun): PartitionRun {
    if (result.created.length || result.dropped.length || result.mended.length) {
      this.logger.log(
        `partitions: created ${result.created.join(', ') || 'none'}; dropped ${result.dropped.join(', ') || 'none'} (${result.rows} row(s) past retention)` +
          (result.mended.length ? `; receipts partitions mended: ${result.mended.join(', ')}` : ''),
      );
    }
    return result;
  }
}
