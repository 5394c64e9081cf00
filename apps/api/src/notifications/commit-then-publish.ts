import type { Database, SqlExecutor } from '@herald/database';
import { UnavailableError } from '@herald/errors';
import { isDatabaseUnavailable } from '../errors/database-unavailable.js';
import { GroupCommit, type GroupCommitOptions } from './group-commit.js';

/** Rows (notification copies, topic events) per shared transaction; a 1000-recipient POST still fits. */
const MAX_BATCH_ROWS = 5000;
/** Rows waiting before a second batch may run beside the first. */
const PARALLEL_BATCH_ROWS = 500;
/** A batch running longer than this (ms) has stalled: a second may start beside it. */
export const STALLED_BATCH_MS = 4;
/**
 * What may wait for a batch: 2,000 requests, or 20 full batches of rows.
 * By the field limits a request holds about 30 KiB besides its recipients
 * (body, data, links), and the rows cap the recipients at 100,000: under
 * 100 MiB in all at worst, a few MiB at the usual size. Normally a batch's
 * worth waits at most; only a database that stalls fills it, and then a
 * request is better answered 503 at once than held in memory with every
 * other one that arrives.
 */
export const MAX_QUEUED = { items: 2000, weight: 20 * MAX_BATCH_ROWS };
/** Longest a request waits for its batch to start, as long as the publish pool waits for a statement (PUBLISH_QUERY_TIMEOUT_MS). */
export const MAX_QUEUE_MS = 10_000;

/** What a publish path's batch writer offers: BatchWriter for notifications, TopicBatchWriter for topic events. */
export interface PublishBatchWriter<T, R> {
  /** True when `batch` must be written in a transaction; false when it is one statement, atomic alone. */
  needsTransaction(batch: T[]): boolean;
  write(exec: SqlExecutor, batch: T[], ttlHours: number): Promise<R[]>;
}

/**
 * The group commit of the publish paths (POST /v1/notifications and the
 * topic publish routes), one set of rules for both:
 * - Small requests: one batch at a time, the next gathers while it
 *   commits. Two in flight made batches of one or two POSTs at 1,000
 *   POST/s; one cut api CPU per POST by ~15 % and the end-to-end p99 from
 *   31-87 ms to 20-34 ms. Many rows: two side by side, where one at a time
 *   lost 10-20 % of batched throughput (docs/benchmarks.md).
 * - A batch whose statement stalls (an fsync, a lock) past STALLED_BATCH_MS
 *   lets the next one start beside it, so the tail does not queue behind it.
 * - While the database stalls, requests wait at most MAX_QUEUE_MS for a
 *   batch and at most MAX_QUEUED of them wait; past either, 503.
 * - `publish` starts after commit, before the next batch's statement is
 *   sent, so a batch's frames are on their way to Redis first; the wait for
 *   Redis's reply overlaps the next batch. A request answers when `publish`
 *   resolves: ingest resolves it once the frames are handed to the publisher
 *   connection, topics once Redis took them (a live event's only effect is
 *   its publish). Batches publish in the order they complete; two
 *   batches holding the same stream (a user, a topic) commit in order (they
 *   serialise on its state row) but may complete the other way round, and
 *   the gateway's gap fill puts that right (read the committed rows).
 */
export function commitThenPublish<T, R>(
  commit: (batch: T[]) => Promise<(R | Error)[]>,
  rows: (item: T) => number,
  publish: NonNullable<GroupCommitOptions<T, R>['afterRun']>,
  /** Told of each request refused while the database stalls (a metric: one log line per refusal would be thousands a second). */
  refused: (why: 'full' | 'expired') => void = () => undefined,
): GroupCommit<T, R> {
  return new GroupCommit(commit, rows, {
    maxItems: 500,
    maxWeight: MAX_BATCH_ROWS,
    maxInFlight: 2,
    parallelMinWeight: PARALLEL_BATCH_ROWS,
    parallelAfterMs: STALLED_BATCH_MS,
    afterRun: publish,
    maxQueued: MAX_QUEUED,
    maxQueueMs: MAX_QUEUE_MS,
    // Neither was written: a retry cannot duplicate them.
    refuse: (why) => {
      refused(why);
      return new UnavailableError(why === 'full' ? 'too many requests waiting for the database, retry later' : 'the database did not answer in time, retry later');
    },
  });
}

/**
 * Writes a batch: in a transaction where it needs one, else as its one
 * statement (no BEGIN/COMMIT round trips). One request must not fail the
 * others it happened to share a transaction with: when the batch fails, each
 * is retried alone, unless the database is gone.
 */
export async function writeBatch<T, R>(db: Database, writer: PublishBatchWriter<T, R>, batch: T[], ttlHours: number): Promise<(R | Error)[]> {
  try {
    return writer.needsTransaction(batch)
      ? await db.transaction((tx) => writer.write(tx, batch, ttlHours))
      : await writer.write(db, batch, ttlHours);
  } catch (err) {
    if (batch.length === 1 || isDatabaseUnavailable(err)) throw err;
    return Promise.all(batch.map((r) => writeBatch(db, writer, [r], ttlHours).then(([o]) => o, (e: Error) => e)));
  }
}
