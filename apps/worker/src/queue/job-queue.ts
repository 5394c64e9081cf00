import { Inject, Injectable, Logger } from '@nestjs/common';
import { PgBoss, type Job, type JobInsert, type JobResult } from 'pg-boss';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { Database, type SqlExecutor } from '@herald/database';
import { Metrics } from '@herald/observability';
import { EarlyCompletion } from './early-completion.js';
import { inTransaction, pgliteQueueDatabase } from './pg-boss-database.js';
import { Queue, queuePolicies } from './queues.js';

/** How long a stopping worker lets its running jobs finish before it leaves them to expire and retry elsewhere. */
const STOP_TIMEOUT_MS = 20_000;

/** pg-boss's own pool, beside the worker's DATABASE_POOL_SIZE. */
export const QUEUE_POOL_SIZE = 4;
/** Postgres connections pg-boss holds: its pool and the session it keeps for LISTEN (useListenNotify). */
export const QUEUE_CONNECTIONS = QUEUE_POOL_SIZE + 1;

/**
 * The job queue: pg-boss in Postgres (its own `pgboss` schema), or on the
 * embedded PGlite. Jobs enter only through `enqueue` inside a transaction
 * of ours (the outbox drain, a handler's follow-up), so a job exists
 * exactly when the change that asked for it committed.
 */
@Injectable()
export class JobQueue {
  private readonly logger = new Logger(JobQueue.name);
  private boss: PgBoss | undefined;

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  /** Installs or migrates pg-boss's schema (under its own advisory lock) and creates the queues. */
  async start(): Promise<void> {
    // Monitor and supervise every 10 s (pg-boss: 60): that is when a dead worker's jobs are found and retried.
    const common = { application_name: 'herald-worker', schedule: false, useListenNotify: true, monitorIntervalSeconds: 10, superviseIntervalSeconds: 10 } as const;
    const boss = this.db.embedded
      ? new PgBoss({ ...common, db: await pgliteQueueDatabase(this.db), backend: 'pglite' })
      : new PgBoss({ ...common, connectionString: this.config.database.url, max: QUEUE_POOL_SIZE });
    boss.on('error', (err: Error) => this.logger.warn(`queue: ${err.message}`));
    await boss.start();
    if (!(await boss.getQueue(Queue.Dead))) await boss.createQueue(Queue.Dead).catch(ignoreExists);
    for (const [name, policy] of Object.entries(queuePolicies(this.config.worker.retryDelaySeconds))) {
      const options = { ...policy, deadLetter: Queue.Dead, notify: true };
      // An existing queue gets this release's policy too (a queue's options live in its row).
      if (await boss.getQueue(name)) await boss.updateQueue(name, options);
      else await boss.createQueue(name, options).catch(ignoreExists);
    }
    this.boss = boss;
  }

  /** Adds jobs inside the caller's transaction: they exist if and only if it commits. */
  async enqueue<T extends object>(tx: SqlExecutor, queue: Queue, jobs: JobInsert<T>[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.started().insert(queue, jobs, { db: inTransaction(tx) });
  }

  /**
   * Runs `handler` for each job of `queue`, up to `concurrency` at a time:
   * two fetch loops, each taking up to half of that in one batch and running
   * its jobs side by side, each settled on its own (a throw fails that job
   * only: pg-boss retries it with backoff and, when the retries are spent,
   * moves it to the dead letter queue). A full batch is followed by the next
   * fetch at once; an empty queue is polled every second, and NOTIFY wakes
   * the loops for new jobs. (One job per fetch and loop ran 10 jobs/s.)
   * A job done while the rest of its batch runs is completed soon after
   * (early-completion.ts), not when the batch ends.
   */
  async work<T extends object>(queue: Queue, concurrency: number, handler: (job: Job<T>) => Promise<void>): Promise<void> {
    const batchSize = Math.max(1, Math.ceil(concurrency / 2));
    const options = {
      batchSize,
      localConcurrency: 2,
      perJobResults: true,
      burstWhenBatchFull: true,
      pollingIntervalSeconds: 0.5,
      // NOTIFY wakes us for new jobs, not for a retry or a deferred job coming due: poll for those every second.
      notifyPollingIntervalSeconds: 1,
    } as const;
    const boss = this.started();
    await boss.work<T>(queue, options, (jobs) => {
      // Fenced to the attempts fetched, so a job retried elsewhere meanwhile is left alone.
      const early = new EarlyCompletion((done) => boss.complete(queue, done).catch((err: Error) => this.logger.warn(`queue: ${err.message}`)));
      let running = jobs.length;
      const settled = jobs.map(async (job) => {
        const result = await this.run(queue, job, handler);
        if (--running > 0 && result.status === 'completed') early.add(job);
        return result;
      });
      return Promise.all(settled).finally(() => early.cancel());
    });
  }

  private async run<T extends object>(queue: Queue, job: Job<T>, handler: (job: Job<T>) => Promise<void>): Promise<JobResult> {
    const end = this.metrics.jobDuration.startTimer({ queue });
    try {
      await handler(job);
      end({ outcome: 'completed' });
      return { id: job.id, status: 'completed' };
    } catch (err) {
      end({ outcome: 'failed' });
      const kind = failureKind(err);
      this.metrics.jobFailures.inc({ queue, kind });
      return { id: job.id, status: 'failed', output: { kind, message: (err as Error).message } };
    }
  }

  /** Jobs waiting (created or retrying, including deferred ones) per queue. */
  async depth(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const name of Object.values(Queue)) {
      const q = await this.started().getQueue(name);
      out[name] = q?.queuedCount ?? 0;
    }
    return out;
  }

  /** Stops fetching and waits (bounded) for the running jobs: SIGTERM's drain. */
  async stop(): Promise<void> {
    const boss = this.boss;
    this.boss = undefined;
    await boss?.stop({ graceful: true, timeout: STOP_TIMEOUT_MS });
  }

  private started(): PgBoss {
    if (!this.boss) throw new Error('the job queue is not running');
    return this.boss;
  }
}

function ignoreExists(err: Error): void {
  if (!/already exists/i.test(err.message)) throw err;
}

/** A failure's kind for the metric: the error's code or class, never its text. */
export function failureKind(err: unknown): string {
  const e = err as { kind?: string; code?: string; name?: string };
  return String(e?.kind ?? e?.code ?? e?.name ?? 'error').slice(0, 40);
}
