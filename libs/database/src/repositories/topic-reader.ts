import type { TopicEvent } from '@herald/contracts';
import type { SqlExecutor } from '../database.js';
import { TOPIC_EVENT_COLUMNS, toTopicEvent, type TopicEventRow } from '../topic-event-row.js';

/** Where a stream of topic events stands: its newest position, and the highest one retention deleted. */
export interface StreamState {
  lastSeq: number;
  /** Positions up to here are gone: a client holding less has lost events. */
  trimmedSeq: number;
}

/**
 * The two orders topic events are read in: a topic's own `seq`, or the
 * namespace-wide `ns_seq` of a namespace that allows `ns:*` subscriptions.
 * Fixed strings, never input: they are spliced into the SQL.
 */
const BY_TOPIC = { key: 'topic', position: 'seq', states: 'topic_states', stateKey: 'topic' } as const;
const BY_NAMESPACE = { key: 'namespace', position: 'ns_seq', states: 'topic_namespace_states', stateKey: 'namespace' } as const;
type Order = typeof BY_TOPIC | typeof BY_NAMESPACE;

/**
 * Every read of topics: the gateway's subscribe, replay, gap fill and
 * re-sync, and the api's catch-up route. Read-only; the writes are
 * TopicRepository's.
 */
export class TopicReader {
  constructor(private readonly db: SqlExecutor) {}

  /** State of each topic; topics never published get zeros. */
  topicStates(topics: string[]): Promise<Map<string, StreamState>> {
    return this.states(BY_TOPIC, topics);
  }

  /** State of each namespace's own stream; namespaces never published get zeros. */
  namespaceStates(namespaces: string[]): Promise<Map<string, StreamState>> {
    return this.states(BY_NAMESPACE, namespaces);
  }

  /** Events of `topic` with after < seq (< below), oldest first. */
  after(topic: string, after: number, limit: number, below?: number): Promise<TopicEvent[]> {
    return this.range(BY_TOPIC, topic, after, limit, below);
  }

  /** Events of `namespace` with after < ns_seq (< below), oldest first. */
  afterInNamespace(namespace: string, after: number, limit: number, below?: number): Promise<TopicEvent[]> {
    return this.range(BY_NAMESPACE, namespace, after, limit, below);
  }

  /** Up to `limit` events above each topic's position, in one query, grouped by topic then seq. */
  afterForTopics(positions: Map<string, number>, limit: number): Promise<TopicEvent[]> {
    return this.many(BY_TOPIC, positions, limit);
  }

  /** Up to `limit` events above each namespace's position, in one query. */
  afterForNamespaces(positions: Map<string, number>, limit: number): Promise<TopicEvent[]> {
    return this.many(BY_NAMESPACE, positions, limit);
  }

  private async states(order: Order, keys: string[]): Promise<Map<string, StreamState>> {
    const states = new Map(keys.map((k): [string, StreamState] => [k, { lastSeq: 0, trimmedSeq: 0 }]));
    if (keys.length === 0) return states;
    const rows = await this.db.query<{ key: string; last_seq: string; trimmed_seq: string }>(
      `SELECT ${order.stateKey} AS key, last_seq, trimmed_seq FROM ${order.states} WHERE ${order.stateKey} = ANY($1::varchar[])`,
      [keys],
    );
    for (const r of rows) states.set(r.key, { lastSeq: Number(r.last_seq), trimmedSeq: Number(r.trimmed_seq) });
    return states;
  }

  private async range(order: Order, key: string, after: number, limit: number, below?: number): Promise<TopicEvent[]> {
    const rows = await this.db.query<TopicEventRow>(
      `SELECT ${TOPIC_EVENT_COLUMNS} FROM topic_events
        WHERE ${order.key} = $1 AND ${order.position} > $2 AND ($4::bigint IS NULL OR ${order.position} < $4)
        ORDER BY ${order.position} ASC LIMIT $3`,
      [key, after, limit, below ?? null],
    );
    return rows.map(toTopicEvent);
  }

  private async many(order: Order, positions: Map<string, number>, limit: number): Promise<TopicEvent[]> {
    if (positions.size === 0) return [];
    const keys = [...positions.keys()];
    const rows = await this.db.query<TopicEventRow>(
      `SELECT ${TOPIC_EVENT_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')}
         FROM unnest($1::varchar[], $2::bigint[]) AS c(key, after)
         CROSS JOIN LATERAL (
           SELECT * FROM topic_events
            WHERE ${order.key} = c.key AND ${order.position} > c.after
            ORDER BY ${order.position} ASC LIMIT $3) e
        ORDER BY e.${order.key}, e.${order.position}`,
      [keys, keys.map((k) => positions.get(k) as number), limit],
    );
    return rows.map(toTopicEvent);
  }
}
