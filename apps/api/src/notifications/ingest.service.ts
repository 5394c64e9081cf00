import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import type { Notification, PublishedNotification } from '@herald/contracts';
import { Database, IdempotencyKeysRepository } from '@herald/database';
import { Metrics } from '@herald/observability';
import { storedAnswer } from '../idempotency/key-claims.js';
import { UserFramePublisher } from '../publishing/user-frame.publisher.js';
import { BatchWriter, responseBody, type IngestOutcome, type IngestRequest } from './batch-writer.js';
import { commitThenPublish, writeBatch } from './commit-then-publish.js';
import type { GroupCommit } from './group-commit.js';
import type { PublishNotificationDto } from './publish-notification.dto.js';
import { requestHash } from './request-hash.js';

type Created = Extract<IngestOutcome, { kind: 'created' }>;

/** What startPublishing answers at once: the POSTs need not wait for Redis (one settled promise serves every batch). */
const STARTED = Promise.resolve();

export interface IngestResult {
  body: { notifications: PublishedNotification[] };
  replayed: boolean;
}

/**
 * POST /v1/notifications. Concurrent requests share a transaction (group
 * commit: one fsync for many POSTs, rules in commit-then-publish.ts), rows
 * are committed before anything is published, and one publish pipeline
 * carries the whole batch.
 */
@Injectable()
export class IngestService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(IngestService.name);
  private readonly commits: GroupCommit<IngestRequest, IngestOutcome>;
  /** Batches' publishes not yet answered by Redis. */
  private readonly publishing = new Set<Promise<void>>();

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(BatchWriter) private readonly writer: BatchWriter,
    @Inject(IdempotencyKeysRepository) private readonly keys: IdempotencyKeysRepository,
    @Inject(UserFramePublisher) private readonly publisher: UserFramePublisher,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {
    this.commits = commitThenPublish(
      (batch) => this.commit(batch),
      (r) => r.input.recipients.length,
      (_items, outcomes) => this.startPublishing(outcomes),
      (why) => this.metrics.publishRefusals.inc({ reason: why }),
    );
  }

  /** Publishes still waiting for Redis's reply finish before the bus closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.publishing);
  }

  /** `hashed`: what the Idempotency-Key's request hash covers (the request as sent, when recipients were expanded from an audience). */
  async ingest(principal: string, input: PublishNotificationDto, idempotencyKey?: string, hashed: PublishNotificationDto = input): Promise<IngestResult> {
    const hash = idempotencyKey === undefined ? '' : requestHash(hashed);
    const outcome = await this.commits.submit({ principal, input, key: idempotencyKey, hash });
    if (outcome.kind === 'key_taken') return this.replay(principal, idempotencyKey as string, hash);
    return { body: responseBody(outcome), replayed: false };
  }

  private commit(batch: IngestRequest[]): Promise<(IngestOutcome | Error)[]> {
    return writeBatch(this.db.publishing, this.writer, batch, this.config.idempotencyTtlHours);
  }

  /**
   * Hands a batch's frames to the publisher connection now, in commit
   * order, and lets its POSTs answer without waiting for Redis's reply.
   * A publish never decided a POST's answer (a failed one is logged and
   * counted, and the rows are the truth), so the wait only added a Redis
   * round trip, and under load its queueing, to every POST
   * (docs/benchmarks.md, round 4).
   */
  private startPublishing(outcomes: (IngestOutcome | Error)[]): Promise<void> {
    const sent = this.publish(outcomes);
    this.publishing.add(sent);
    // finally() without its extra promise. publish is built never to reject; should it, say so.
    const settled = () => this.publishing.delete(sent);
    void sent.then(settled, (err: unknown) => {
      settled();
      this.logger.error(`publishing a committed batch failed: ${(err as Error).message}`);
    });
    return STARTED;
  }

  /**
   * What a batch committed, to the users' channels in the order its
   * positions were taken: every plain POST's, then each grouping POST's
   * (InboxAppender). Never rejects: UserFramePublisher logs and counts failures.
   */
  private async publish(outcomes: (IngestOutcome | Error)[]): Promise<void> {
    const plain: Notification[][] = [];
    let grouping: Created[] | undefined;
    let count = 0;
    for (const o of outcomes) {
      if (o instanceof Error || o.kind !== 'created') continue;
      count += o.notifications.length;
      if (o.grouping) (grouping ??= []).push(o);
      else plain.push(o.notifications);
    }
    this.metrics.notificationsCreated.inc(count);
    await this.publisher.publishNotifications(plain);
    for (const o of grouping ?? []) {
      await this.publisher.publishNotifications([o.notifications]);
      await this.publisher.publish(o.grouped);
    }
  }

  private async replay(principal: string, key: string, hash: string): Promise<IngestResult> {
    return { body: await storedAnswer<IngestResult['body']>(this.keys, principal, key, hash), replayed: true };
  }
}
