import type { SqlExecutor } from '../database.js';
import { inLockOrder } from '../lock-order.js';
import type { PurgeOutcome } from './purge-outcome.js';

/** A validated topic event on its way in. */
export interface NewTopicEvent {
  topic: string;
  /** The topic's namespace (what comes before its first `:`). */
  namespace: string;
  type: string;
  data?: Record<string, unknown> | null;
  /** Its namespace allows `ns:*` subscriptions: the event also gets a namespace-wide seq. */
  patterns: boolean;
}

/** What append decided for one event. */
export interface AppendedTopicEvent {
  seq: number;
  /** Only for an event of a namespace that allows patterns. */
  nsSeq?: number;
  createdAt: string;
}

/** How much history each namespace keeps: the defaults, and the namespaces that say otherwise. */
export interface HistoryPolicy {
  size: number;
  ttlSeconds: number;
  namespaces: { namespace: string; size: number; ttlSeconds: number }[];
}

/** Counts per key and, for each item, how far it sits from its key's newest: its seq is the key's new last_seq minus that. */
function positions<T>(items: T[], keyOf: (item: T) => string | undefined): { counts: Map<string, number>; backs: number[] } {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const seen = new Map<string, number>();
  const backs = items.map((item) => {
    const key = keyOf(item);
    if (key === undefined) return 0;
    const rank = (seen.get(key) ?? 0) + 1;
    seen.set(key, rank);
    return (counts.get(key) as number) - rank;
  });
  return { counts, backs };
}

/**
 * Every write to topics: the aggregate of one topic_states row (the root:
 * the topic's seq) and that topic's events, as InboxRepository is for a
 * user. Its rules:
 * - a write locks the topic's state row before it adds events (append takes
 *   it through its upsert); several rows are locked in lock order, and
 *   namespace rows (topic_namespace_states) before topic rows, so writers
 *   serialise per topic and never deadlock;
 * - seq is per topic and gapless, ns_seq per namespace and gapless; state
 *   rows are never deleted, so neither restarts;
 * - retention deletes a prefix of a topic's events and raises trimmed_seq
 *   to the highest position it deleted, under the same locks.
 * Reads are TopicReader's.
 */
export class TopicRepository {
  /**
   * Allocates seqs and inserts the events, in request order per topic. One
   * statement (atomic alone: `exec` may be the Database) unless an event's
   * namespace allows patterns: then the namespace rows are upserted and
   * locked first, and `exec` must be a transaction.
   */
  async append(exec: SqlExecutor, events: NewTopicEvent[]): Promise<AppendedTopicEvent[]> {
    if (events.length === 0) return [];
    const byTopic = positions(events, (e) => e.topic);
    const byNamespace = positions(events, (e) => (e.patterns ? e.namespace : undefined));
    const nsLast = await this.allocateNamespaceSeqs(exec, byNamespace.counts);
    const topics = inLockOrder(byTopic.counts.keys());
    const rows = await exec.query<{ topic: string; seq: string; created_at: Date }>(
      `WITH st AS (
         INSERT INTO topic_states AS s (topic, last_seq)
           SELECT t, n FROM unnest($1::varchar[], $2::bigint[]) WITH ORDINALITY AS x(t, n, o) ORDER BY o
         ON CONFLICT (topic) DO UPDATE SET last_seq = s.last_seq + EXCLUDED.last_seq
         RETURNING topic, last_seq
       )
       INSERT INTO topic_events (topic, seq, namespace, ns_seq, type, data, created_at)
         SELECT e.t, st.last_seq - e.back, e.ns, e.nsq, e.ty, e.d::jsonb, now()
           FROM unnest($3::varchar[], $4::bigint[], $5::varchar[], $6::bigint[], $7::varchar[], $8::text[]) AS e(t, back, ns, nsq, ty, d)
           JOIN st ON st.topic = e.t
       RETURNING topic, seq, created_at`,
      [
        topics, topics.map((t) => byTopic.counts.get(t)),
        events.map((e) => e.topic), byTopic.backs, events.map((e) => e.namespace),
        events.map((e, i) => (e.patterns ? (nsLast.get(e.namespace) as number) - byNamespace.backs[i] : null)),
        events.map((e) => e.type), events.map((e) => (e.data === undefined || e.data === null ? null : JSON.stringify(e.data))),
      ],
    );
    const newest = new Map<string, number>();
    for (const r of rows) newest.set(r.topic, Math.max(newest.get(r.topic) ?? 0, Number(r.seq)));
    const createdAt = new Date(rows[0].created_at).toISOString();
    return events.map((e, i) => {
      const appended: AppendedTopicEvent = { seq: (newest.get(e.topic) as number) - byTopic.backs[i], createdAt };
      if (e.patterns) appended.nsSeq = (nsLast.get(e.namespace) as number) - byNamespace.backs[i];
      return appended;
    });
  }

  /**
   * One retention batch, inside the caller's transaction: for up to
   * `batchSize` topics with more events than their namespace keeps, or with
   * events older than its TTL, deletes the oldest ones (a prefix: never a
   * hole in the middle of a history) and raises trimmed_seq. At most about
   * `batchSize` rows are deleted; `scanned` equals `batchSize` while work is
   * left (the retention loop's signal to go on).
   */
  async trimHistory(tx: SqlExecutor, policy: HistoryPolicy, batchSize: number): Promise<PurgeOutcome> {
    const overrides = [policy.namespaces.map((n) => n.namespace), policy.namespaces.map((n) => n.size), policy.namespaces.map((n) => n.ttlSeconds)];
    const shortestTtl = Math.min(policy.ttlSeconds, ...policy.namespaces.map((n) => n.ttlSeconds));
    const candidates = await tx.query<{ topic: string; cut: string; trimmed_seq: string }>(
      `WITH c AS (SELECT * FROM unnest($1::varchar[], $2::bigint[], $3::int[]) AS c(ns, size, ttl)),
       by_count AS (
         SELECT s.topic, s.last_seq - COALESCE(c.size, $4) AS cut
           FROM topic_states s LEFT JOIN c ON c.ns = split_part(s.topic, ':', 1)
          WHERE s.last_seq - COALESCE(c.size, $4) > s.trimmed_seq
          LIMIT $6),
       by_age AS (
         SELECT e.topic, max(e.seq) AS cut
           FROM topic_events e LEFT JOIN c ON c.ns = e.namespace
          WHERE e.created_at < now() - make_interval(secs => $7)
            AND e.created_at < now() - make_interval(secs => COALESCE(c.ttl, $5))
          GROUP BY e.topic
          LIMIT $6)
       SELECT x.topic, max(x.cut) AS cut, s.trimmed_seq
         FROM (SELECT * FROM by_count UNION ALL SELECT * FROM by_age) x
         JOIN topic_states s ON s.topic = x.topic
        GROUP BY x.topic, s.trimmed_seq
       HAVING max(x.cut) > s.trimmed_seq
        LIMIT $6`,
      [...overrides, policy.size, policy.ttlSeconds, batchSize, shortestTtl],
    );
    if (candidates.length === 0) return { scanned: 0, deleted: 0 };
    // Spread the batch's rows over its topics; what a topic does not get now, a later batch takes.
    const share = Math.max(1, Math.floor(batchSize / candidates.length));
    let capped = false;
    const cuts = new Map(
      candidates.map((c) => {
        const cut = Math.min(Number(c.cut), Number(c.trimmed_seq) + share);
        capped ||= cut < Number(c.cut);
        return [c.topic, cut];
      }),
    );
    const topics = inLockOrder(cuts.keys());
    const deleted = await tx.query<{ namespace: string; ns_seq: string | null }>(
      `DELETE FROM topic_events e USING unnest($1::varchar[], $2::bigint[]) AS d(topic, cut)
        WHERE e.topic = d.topic AND e.seq <= d.cut
       RETURNING e.namespace, e.ns_seq`,
      [topics, topics.map((t) => cuts.get(t))],
    );
    await this.raiseNamespaceTrims(tx, deleted);
    await this.lockRows(tx, 'topic_states', 'topic', topics);
    await tx.query(
      `UPDATE topic_states s SET trimmed_seq = GREATEST(s.trimmed_seq, d.cut)
         FROM unnest($1::varchar[], $2::bigint[]) AS d(topic, cut) WHERE s.topic = d.topic`,
      [topics, topics.map((t) => cuts.get(t))],
    );
    return { scanned: capped || candidates.length >= batchSize ? batchSize : candidates.length, deleted: deleted.length };
  }

  /** Adds each namespace's event count to its last_seq (locking its row, in lock order); answers the new last_seq. */
  private async allocateNamespaceSeqs(exec: SqlExecutor, counts: Map<string, number>): Promise<Map<string, number>> {
    if (counts.size === 0) return new Map();
    const namespaces = inLockOrder(counts.keys());
    const rows = await exec.query<{ namespace: string; last_seq: string }>(
      `INSERT INTO topic_namespace_states AS s (namespace, last_seq)
         SELECT ns, n FROM unnest($1::varchar[], $2::bigint[]) WITH ORDINALITY AS x(ns, n, o) ORDER BY o
       ON CONFLICT (namespace) DO UPDATE SET last_seq = s.last_seq + EXCLUDED.last_seq
       RETURNING namespace, last_seq`,
      [namespaces, namespaces.map((ns) => counts.get(ns))],
    );
    return new Map(rows.map((r) => [r.namespace, Number(r.last_seq)]));
  }

  /** Raises each namespace's trimmed_seq to the highest ns_seq just deleted from it. */
  private async raiseNamespaceTrims(tx: SqlExecutor, deleted: { namespace: string; ns_seq: string | null }[]): Promise<void> {
    const highest = new Map<string, number>();
    for (const d of deleted) if (d.ns_seq !== null) highest.set(d.namespace, Math.max(highest.get(d.namespace) ?? 0, Number(d.ns_seq)));
    if (highest.size === 0) return;
    const namespaces = await this.lockRows(tx, 'topic_namespace_states', 'namespace', highest.keys());
    await tx.query(
      `UPDATE topic_namespace_states s SET trimmed_seq = GREATEST(s.trimmed_seq, d.cut)
         FROM unnest($1::varchar[], $2::bigint[]) AS d(ns, cut) WHERE s.namespace = d.ns`,
      [namespaces, namespaces.map((ns) => highest.get(ns))],
    );
  }

  /** Locks state rows by the ordinality of a JS-sorted array, so the collation cannot reorder them; answers the keys in that order. */
  private async lockRows(tx: SqlExecutor, table: 'topic_states' | 'topic_namespace_states', column: 'topic' | 'namespace', keys: Iterable<string>): Promise<string[]> {
    const sorted = inLockOrder(new Set(keys));
    await tx.query(
      `SELECT s.${column} FROM unnest($1::varchar[]) WITH ORDINALITY AS t(k, o)
         JOIN ${table} s ON s.${column} = t.k ORDER BY t.o FOR UPDATE OF s`,
      [sorted],
    );
    return sorted;
  }
}
