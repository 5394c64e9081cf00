import { Inject, Injectable } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import type { PublishedNotification } from '@herald/contracts';
import { Database, IdempotencyKeysRepository } from '@herald/database';
import { Metrics } from '@herald/observability';
import { isDatabaseUnavailable } from '../errors/database-unavailable.js';
import { storedAnswer } from '../idempotency/key-claims.js';
import { UserFramePublisher } from '../publishing/user-frame.publisher.js';
import { BatchWriter, responseBody, type IngestOutcome, type IngestRequest } from './batch-writer.js';
import { GroupCommit } from './group-commit.js';
import type { PublishNotificationDto } from './publish-notification.dto.js';
import { requestHash } from './request-hash.js';

export interface IngestResult {
  body: { notifications: PublishedNotification[] };
  replayed: boolean;
}

/** Rows per shared transaction; a 1000-recipient POST still fits. */
const MAX_BATCH_ROWS = 5000;
/** Rows waiting before a second batch may run beside the first. */
const PARALLEL_BATCH_ROWS = 500;
/** A batch running longer than this (ms) has stalled: a second may start beside it. */
const STALLED_BATCH_MS = 4;

/**
 * POST /v1/notifications. Concurrent requests share a transaction (group
 * commit: one fsync for many POSTs), rows are committed before anything is
 * published, and one publish pipeline carries the whole batch.
 */
@Injectable()
export class IngestService {
  private readonly commits: GroupCommit<IngestRequest, IngestOutcome>;

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(BatchWriter) private readonly writer: BatchWriter,
    @Inject(IdempotencyKeysRepository) private readonly keys: IdempotencyKeysRepository,
    @Inject(UserFramePublisher) private readonly publisher: UserFramePublisher,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {
    this.commits = new GroupCommit((batch) => this.commit(batch), (r) => r.input.recipients.length, {
      maxItems: 500,
      maxWeight: MAX_BATCH_ROWS,
      // Small POSTs: one batch at a time, the next gathers while it
      // commits. Two in flight made batches of one or two POSTs at 1,000
      // POST/s; one cut api CPU per POST by ~15 % and the end-to-end p99 from
      // 31-87 ms to 20-34 ms. Many-recipient POSTs: two side by side, where
      // one at a time lost 10-20 % of batched throughput (docs/benchmarks.md).
      // A batch whose statement stalls (an fsync, a lock) past STALLED_BATCH_MS
      // lets the next one start beside it, so the tail does not queue behind it.
      maxInFlight: 2,
      parallelMinWeight: PARALLEL_BATCH_ROWS,
      parallelAfterMs: STALLED_BATCH_MS,
      // Published after commit, outside the batch's slot: the next batch's statement overlaps this publish.
      afterRun: (_items, outcomes) => this.publish(outcomes),
    });
  }

  /** `hashed`: what the Idempotency-Key's request hash covers (the request as sent, when recipients were expanded from an audience). */
  async ingest(principal: string, input: PublishNotificationDto, idempotencyKey?: string, hashed: PublishNotificationDto = input): Promise<IngestResult> {
    const hash = idempotencyKey === undefined ? '' : requestHash(hashed);
    const outcome = await this.commits.submit({ principal, input, key: idempotencyKey, hash });
    if (outcome.kind === 'key_taken') return this.replay(principal, idempotencyKey as string, hash);
    return { body: responseBody(outcome), replayed: false };
  }

  private async commit(batch: IngestRequest[]): Promise<(IngestOutcome | Error)[]> {
    let outcomes: (IngestOutcome | Error)[];
    try {
      const ttl = this.config.idempotencyTtlHours;
      // Without Idempotency-Keys or grouping the batch is one statement: no BEGIN/COMMIT round trips.
      outcomes = this.writer.needsTransaction(batch)
        ? await this.db.transaction((tx) => this.writer.write(tx, batch, ttl))
        : await this.writer.write(this.db, batch, ttl);
    } catch (err) {
      // One request must not fail the others it happened to share a
      // transaction with: retry each alone, unless the database is gone.
      if (batch.length === 1 || isDatabaseUnavailable(err)) throw err;
      outcomes = await Promise.all(batch.map((r) => this.commit([r]).then(([o]) => o, (e: Error) => e)));
      return outcomes;
    }
    return outcomes;
  }

  /**
   * What a batch committed, to the users' channels in the order its
   * positions were taken: every plain POST's, then each grouping POST's
   * (InboxAppender); the POSTs answer once it is sent.
   */
  private async publish(outcomes: (IngestOutcome | Error)[]): Promise<void> {
    const created = outcomes.flatMap((o) => (o instanceof Error || o.kind !== 'created' ? [] : [o]));
    this.metrics.notificationsCreated.inc(created.reduce((n, o) => n + o.notifications.length, 0));
    await this.publisher.publishNotifications(created.filter((o) => !o.grouping).map((o) => o.notifications));
    for (const o of created.filter((c) => c.grouping)) {
      await this.publisher.publishNotifications([o.notifications]);
      await this.publisher.publish(o.grouped);
    }
  }

  private async replay(principal: string, key: string, hash: string): Promise<IngestResult> {
    return { body: await storedAnswer<IngestResult['body']>(this.keys, principal, key, hash), replayed: true };
  }
}
