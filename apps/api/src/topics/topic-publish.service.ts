import { Inject, Injectable } from '@nestjs/common';
import { resolveTopic, TopicNameError } from '@herald/auth';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import type { PublishedTopicEvent } from '@herald/contracts';
import { Database, IdempotencyKeysRepository } from '@herald/database';
import { UnavailableError } from '@herald/errors';
import { Metrics } from '@herald/observability';
import { isDatabaseUnavailable } from '../errors/database-unavailable.js';
import { storedAnswer } from '../idempotency/key-claims.js';
import { GroupCommit } from '../notifications/group-commit.js';
import { requestHash } from '../notifications/request-hash.js';
import { storesRows, TopicBatchWriter, topicResponseBody, type OutgoingTopicEvent, type TopicPublishOutcome, type TopicPublishRequest } from './topic-batch-writer.js';
import type { TopicEventItemDto } from './topic-event.dto.js';
import { TopicEventPublisher } from './topic-event.publisher.js';

export interface TopicPublishResult {
  body: { events: PublishedTopicEvent[] };
  replayed: boolean;
}

/** Events per shared transaction. */
const MAX_BATCH_EVENTS = 5000;

/**
 * `POST /v1/topics/{topic}/events` and `POST /v1/topic-events`, on the
 * machinery of notification ingest: concurrent requests share a transaction
 * (group commit), Idempotency-Keys are claimed with the rows, and the events
 * are published after commit in one pipeline. A live-only event has no row:
 * it is published with the batch, and a request made only of such events
 * answers 503 when that publish fails (nothing was stored, so a retry is
 * safe); a request that stored anything never fails on the publish.
 */
@Injectable()
export class TopicPublishService {
  private readonly commits: GroupCommit<TopicPublishRequest, TopicPublishOutcome>;

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(TopicBatchWriter) private readonly writer: TopicBatchWriter,
    @Inject(IdempotencyKeysRepository) private readonly keys: IdempotencyKeysRepository,
    @Inject(TopicEventPublisher) private readonly publisher: TopicEventPublisher,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {
    // As ingest: one batch at a time while the next gathers, two side by side once much waits.
    this.commits = new GroupCommit((batch) => this.commit(batch), (r) => r.events.length, {
      maxItems: 500,
      maxWeight: MAX_BATCH_EVENTS,
      maxInFlight: 2,
      parallelMinWeight: 500,
    });
  }

  async publish(principal: string, items: TopicEventItemDto[], idempotencyKey?: string): Promise<TopicPublishResult> {
    const events = items.map((item) => this.outgoing(item));
    const key = storesRows({ principal, events, hash: '' }) ? idempotencyKey : undefined;
    const hash = key === undefined ? '' : requestHash({ topicEvents: items.map(({ topic, type, data }) => ({ topic, type, data: data ?? null })) });
    const outcome = await this.commits.submit({ principal, events, key, hash });
    if (outcome.kind === 'key_taken') {
      return { body: await storedAnswer<TopicPublishResult['body']>(this.keys, principal, key as string, hash), replayed: true };
    }
    return { body: topicResponseBody(outcome), replayed: false };
  }

  private outgoing(item: TopicEventItemDto): OutgoingTopicEvent {
    const topic = resolveTopic(item.topic, this.config.topics);
    if (topic.pattern) throw new TopicNameError('must be a topic, not a pattern');
    const { live, patterns } = topic.options;
    return { topic: topic.name, namespace: topic.namespace, type: item.type, data: item.data ?? null, live, patterns };
  }

  private async commit(batch: TopicPublishRequest[]): Promise<(TopicPublishOutcome | Error)[]> {
    let outcomes: (TopicPublishOutcome | Error)[];
    try {
      const ttl = this.config.idempotencyTtlHours;
      outcomes = TopicBatchWriter.needsTransaction(batch)
        ? await this.db.transaction((tx) => this.writer.write(tx, batch, ttl))
        : await this.writer.write(this.db, batch, ttl);
    } catch (err) {
      // One request must not fail the others it shared a transaction with: retry each alone, unless the database is gone.
      if (batch.length === 1 || isDatabaseUnavailable(err)) throw err;
      return Promise.all(batch.map((r) => this.commit([r]).then(([o]) => o, (e: Error) => e)));
    }
    const created = outcomes.map((o, i) => (o instanceof Error || o.kind !== 'created' ? [] : o.events.map((event, k) => ({ event, patterns: batch[i].events[k].patterns }))));
    const published = await this.publisher.publish(created.flat());
    return outcomes.map((o, i) => {
      if (o instanceof Error || o.kind !== 'created') return o;
      if (!published && !storesRows(batch[i])) return new UnavailableError('bus unavailable, live events not sent');
      for (const e of batch[i].events) if (published || !e.live) this.metrics.topicEventsPublished.labels(this.metrics.namespaces.label(e.namespace)).inc();
      return o;
    });
  }
}
