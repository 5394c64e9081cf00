import { Inject, Injectable } from '@nestjs/common';
import { resolveTopic, TopicNameError } from '@herald/auth';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import type { PublishedTopicEvent } from '@herald/contracts';
import { Database, IdempotencyKeysRepository } from '@herald/database';
import { UnavailableError } from '@herald/errors';
import { Metrics } from '@herald/observability';
import { storedAnswer } from '../idempotency/key-claims.js';
import { commitThenPublish, writeBatch } from '../notifications/commit-then-publish.js';
import type { GroupCommit } from '../notifications/group-commit.js';
import { requestHash } from '../notifications/request-hash.js';
import { storesRows, TopicBatchWriter, topicResponseBody, type OutgoingTopicEvent, type TopicPublishOutcome, type TopicPublishRequest } from './topic-batch-writer.js';
import type { TopicEventItemDto } from './topic-event.dto.js';
import { TopicEventPublisher } from './topic-event.publisher.js';

export interface TopicPublishResult {
  body: { events: PublishedTopicEvent[] };
  replayed: boolean;
}

/**
 * `POST /v1/topics/{topic}/events` and `POST /v1/topic-events`, on the
 * machinery of notification ingest: concurrent requests share a transaction
 * under the same group-commit rules (commitThenPublish), Idempotency-Keys
 * are claimed with the rows, and a batch's events are published after
 * commit in one pipeline, outside the batch's commit slot; a request
 * answers once they were handed to Redis. A live-only event has no row: it
 * is published with the batch, and a request made only of such events
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
    this.commits = commitThenPublish(
      (batch) => writeBatch(this.db.publishing, this.writer, batch, this.config.idempotencyTtlHours),
      (r) => r.events.length,
      (batch, outcomes) => this.publishCommitted(batch, outcomes),
      (why) => this.metrics.publishRefusals.inc({ reason: why }),
    );
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

  /**
   * What a batch created, to the topics' channels in one pipeline (request
   * order, so each topic's seqs in order within the batch); answers what
   * each request resolves with. Runs after commit, outside the batch's slot.
   */
  private async publishCommitted(batch: TopicPublishRequest[], outcomes: (TopicPublishOutcome | Error)[]): Promise<(TopicPublishOutcome | Error)[]> {
    const created = outcomes.flatMap((o, i) => (o instanceof Error || o.kind !== 'created' ? [] : o.events.map((event, k) => ({ event, patterns: batch[i].events[k].patterns }))));
    const published = await this.publisher.publish(created);
    return outcomes.map((o, i) => {
      if (o instanceof Error || o.kind !== 'created') return o;
      if (!published && !storesRows(batch[i])) return new UnavailableError('bus unavailable, live events not sent');
      for (const e of batch[i].events) if (published || !e.live) this.metrics.topicEventsPublished.labels(this.metrics.namespaces.label(e.namespace)).inc();
      return o;
    });
  }
}
