import { Inject, Injectable, Logger } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { Database, OutboxRepository, type OutboxEntry, type SqlExecutor } from '@herald/database';
import { Metrics } from '@herald/observability';
import { JobQueue } from '../queue/job-queue.js';
import { JobPlanner } from './job-planner.js';

/** Outbox rows moved into jobs per transaction. */
const BATCH = 500;

/**
 * Moves outbox rows into the job queue: one transaction takes a batch of
 * rows (deleting them), plans their jobs and inserts them, so each row
 * becomes its jobs exactly once whoever crashes when. Drains while there
 * is work, then polls every HERALD_OUTBOX_POLL_MS. Several workers drain
 * side by side: SKIP LOCKED gives each its own rows.
 */
@Injectable()
export class OutboxDrainer {
  private readonly logger = new Logger(OutboxDrainer.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(JobPlanner) private readonly planner: JobPlanner,
    @Inject(JobQueue) private readonly queue: JobQueue,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Drains until the outbox is empty; answers how many rows moved. */
  async drain(): Promise<number> {
    let moved = 0;
    for (let round = 0; round < 1000 && !this.stopped; round++) {
      const n = await this.db.transaction(async (tx) => {
        const entries = await this.outbox.take(tx, BATCH);
        await this.plan(tx, entries);
        return entries.length;
      });
      moved += n;
      if (n < BATCH) break;
    }
    return moved;
  }

  private async plan(tx: SqlExecutor, entries: OutboxEntry[]): Promise<void> {
    const jobs = await this.planner.plan(tx, entries);
    for (const [queue, list] of jobs) await this.queue.enqueue(tx, queue, list);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.drain()
        .then(async () => this.metrics.queueDepth.set({ queue: 'outbox' }, await this.outbox.depth()))
        .catch((err: Error) => this.logger.warn(`outbox drain failed, retrying: ${err.message}`))
        .finally(() => this.schedule(this.config.worker.outboxPollMs));
    }, delay);
    this.timer.unref();
  }
}
