import { Inject, Injectable } from '@nestjs/common';
import type { PublishedTopicEvent, TopicEvent } from '@herald/contracts';
import { IdempotencyKeysRepository, TopicRepository, type AppendedTopicEvent, type SqlExecutor } from '@herald/database';
import { claimFirstKeys, type Keyed } from '../idempotency/key-claims.js';
import type { PublishBatchWriter } from '../notifications/commit-then-publish.js';

/** A validated event, with what its namespace says about it. */
export interface OutgoingTopicEvent {
  topic: string;
  namespace: string;
  type: string;
  data: Record<string, unknown> | null;
  /** Live-only namespace: no row, no seq, published once. */
  live: boolean;
  /** The namespace allows `ns:*`: a namespace seq, and a second channel. */
  patterns: boolean;
}

/** One publish request (one or several events), validated, on its way into a shared transaction. */
export interface TopicPublishRequest extends Keyed {
  events: OutgoingTopicEvent[];
}

export type TopicPublishOutcome =
  | { kind: 'created'; events: TopicEvent[] }
  /** The key is taken (by an earlier request, or one earlier in this batch): replay or 409 after commit. */
  | { kind: 'key_taken' };

/** Whether a request stores anything: only then does its Idempotency-Key apply (a live-only request writes nothing). */
export const storesRows = (r: TopicPublishRequest) => r.events.some((e) => !e.live);

/**
 * Writes a batch of topic publish requests, as BatchWriter does for
 * notifications: claims their Idempotency-Keys, appends every stored event
 * in one statement (two when a namespace allows patterns), stores the keyed
 * answers. With keys or pattern namespaces it must run in a transaction;
 * without, it is one statement, atomic alone.
 */
@Injectable()
export class TopicBatchWriter implements PublishBatchWriter<TopicPublishRequest, TopicPublishOutcome> {
  constructor(
    @Inject(IdempotencyKeysRepository) private readonly keys: IdempotencyKeysRepository,
    @Inject(TopicRepository) private readonly topics: TopicRepository,
  ) {}

  /** True when `requests` must be written in a transaction. */
  needsTransaction(requests: TopicPublishRequest[]): boolean {
    return requests.some((r) => (r.key !== undefined && storesRows(r)) || r.events.some((e) => e.patterns && !e.live));
  }

  async write(tx: SqlExecutor, requests: TopicPublishRequest[], ttlHours: number): Promise<TopicPublishOutcome[]> {
    const keyed = requests.map((r) => (storesRows(r) ? r : { ...r, key: undefined }));
    const claimants = await claimFirstKeys(this.keys, tx, keyed, ttlHours);
    const active = requests.map((r, i) => ({ r, i })).filter(({ i }) => keyed[i].key === undefined || claimants.has(i));
    const stored = active.flatMap(({ r }) => r.events.filter((e) => !e.live));
    const appended = await this.topics.append(tx, stored);
    const outcomes: TopicPublishOutcome[] = requests.map(() => ({ kind: 'key_taken' }));
    const now = new Date().toISOString();
    let next = 0;
    for (const { r, i } of active) {
      outcomes[i] = {
        kind: 'created',
        events: r.events.map((e) => toTopicEvent(e, e.live ? null : appended[next++], now)),
      };
    }
    await this.keys.storeResponses(
      tx,
      active.filter(({ i }) => claimants.has(i)).map(({ r, i }) => ({ principal: r.principal, key: r.key as string, response: topicResponseBody(outcomes[i]) })),
    );
    return outcomes;
  }
}

/** The 201 body of a publish (both forms keep it; the single form answers its one entry); also what a replay answers. */
export function topicResponseBody(outcome: TopicPublishOutcome): { events: PublishedTopicEvent[] } {
  return { events: outcome.kind === 'created' ? outcome.events.map(({ topic, seq }) => ({ topic, seq })) : [] };
}

/** The event as sockets will get it: its row's seq and time, or for a live-only one no seq and now. */
function toTopicEvent(e: OutgoingTopicEvent, row: AppendedTopicEvent | null, now: string): TopicEvent {
  const event: TopicEvent = { topic: e.topic, seq: row?.seq ?? null, type: e.type, data: e.data, createdAt: row?.createdAt ?? now };
  if (row?.nsSeq !== undefined) event.nsSeq = row.nsSeq;
  return event;
}
