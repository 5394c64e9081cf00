import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import {
  AdvisoryLocks, Database, IdempotencyKeysRepository, InboxRepository, PeriodicJob, RETENTION_LOCK_KEY, TopicRepository, type PurgeOutcome, type SqlExecutor,
} from '@herald/database';
import { historyPolicy } from '../topics/history-policy.js';

/** Rows per transaction: short transactions, short row locks, bounded WAL per commit. */
export const RETENTION_BATCH_SIZE = 1000;

export interface RetentionRun {
  /** True when another run (another replica, or this one) held the lock, so this one did nothing. */
  skipped: boolean;
  notifications: number;
  idempotencyKeys: number;
  /** Topic events past their namespace's history size or TTL. */
  topicEvents: number;
  /** Transactions that did work. */
  batches: number;
}

type Phase = { counter: 'notifications' | 'idempotencyKeys' | 'topicEvents'; batch: (tx: SqlExecutor, size: number) => Promise<PurgeOutcome> };

/**
 * Deletes expired and out-of-retention notifications, stale idempotency
 * keys and topic events beyond their namespace's history, in batches, on a
 * timer (`HERALD_RETENTION_INTERVAL_MS`). Every batch takes a
 * transaction-scoped advisory lock first, so across api replicas one
 * cleans up at a time; a run that finds the lock taken stops, since the
 * holder is already doing the work.
 */
@Injectable()
export class RetentionService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name);
  private readonly job = new PeriodicJob<RetentionRun>();

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(InboxRepository) private readonly inbox: InboxRepository,
    @Inject(IdempotencyKeysRepository) private readonly keys: IdempotencyKeysRepository,
    @Inject(TopicRepository) private readonly topics: TopicRepository,
    @Inject(AdvisoryLocks) private readonly locks: AdvisoryLocks,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  onModuleInit(): void {
    this.job.every(this.config.retentionIntervalMs, () => this.runOnce(), (err) => this.logger.warn(`retention run failed: ${err.message}`));
  }

  /** Stops the timer and lets a run in progress finish its batch before the pool closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /** One full run; `batchSize` is for tests that want to see several batches. */
  runOnce(batchSize = RETENTION_BATCH_SIZE): Promise<RetentionRun> {
    return this.job.run(() => this.run(batchSize), { skipped: true, notifications: 0, idempotencyKeys: 0, topicEvents: 0, batches: 0 });
  }

  private async run(batchSize: number): Promise<RetentionRun> {
    const result: RetentionRun = { skipped: false, notifications: 0, idempotencyKeys: 0, topicEvents: 0, batches: 0 };
    const phases: Phase[] = [
      { counter: 'notifications', batch: (tx, size) => this.inbox.purgeOutOfRetention(tx, this.config.retentionDays, size) },
      { counter: 'idempotencyKeys', batch: (tx, size) => this.keys.purgeStale(tx, this.config.idempotencyTtlHours, size) },
      { counter: 'topicEvents', batch: (tx, size) => this.topics.trimHistory(tx, historyPolicy(this.config.topics), size) },
    ];
    for (const phase of phases) {
      for (;;) {
        if (this.job.stopping) return result;
        const outcome = await this.db.transaction(async (tx) =>
          (await this.locks.tryForTransaction(tx, RETENTION_LOCK_KEY)) ? phase.batch(tx, batchSize) : undefined,
        );
        if (!outcome) {
          // Another replica holds the lock: it is doing this work now.
          result.skipped = result.batches === 0;
          return this.logged(result);
        }
        if (outcome.scanned > 0) result.batches++;
        result[phase.counter] += outcome.deleted;
        if (outcome.scanned < batchSize) break;
      }
    }
    return this.logged(result);
  }

  private logged(result: RetentionRun): RetentionRun {
    if (result.notifications || result.idempotencyKeys || result.topicEvents) {
      this.logger.log(
        `retention deleted ${result.notifications} notification(s), ${result.idempotencyKeys} idempotency key(s), ${result.topicEvents} topic event(s) in ${result.batches} batch(es)`,
      );
    }
    return result;
  }
}
