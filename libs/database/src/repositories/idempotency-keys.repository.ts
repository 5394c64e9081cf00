import type { Database, SqlExecutor } from '../database.js';
import { PUBLISH_QUERY_TIMEOUT_MS } from '../publish-pool.js';
import { byLockOrder } from '../lock-order.js';
import type { PurgeOutcome } from './purge-outcome.js';

/** An Idempotency-Key a request wants, scoped to its publishing principal. */
export interface KeyClaim {
  principal: string;
  key: string;
  /** sha256 of the request body in canonical form. */
  requestHash: string;
}

/** The answer stored under a key, once its request committed. */
export interface StoredKey {
  requestHash: string;
  response: unknown;
}

const lockKey = (k: { principal: string; key: string }) => `${k.principal}\u0000${k.key}`;

/**
 * Every statement on idempotency_keys. A key is claimed in the same
 * transaction as the rows it creates and answered before that transaction
 * commits, so a concurrent duplicate waits on the primary key and then
 * replays. Keys live `ttlHours`; after that a request may claim the key anew
 * and retention deletes it.
 */
export class IdempotencyKeysRepository {
  constructor(private readonly db: Database) {}

  /**
   * Claims the distinct `claims` in one statement, inside the caller's
   * transaction. Rows are locked in lock order, so concurrent batches that
   * share keys queue instead of deadlocking; a key older than `ttlHours` is
   * taken over. Answers, per claim, whether this transaction now owns it
   * (false: it is taken and the caller replays the stored answer).
   */
  async claim(tx: SqlExecutor, claims: KeyClaim[], ttlHours: number): Promise<boolean[]> {
    if (claims.length === 0) return [];
    const order = [...claims].sort((a, b) => byLockOrder(lockKey(a), lockKey(b)));
    const claimed = await tx.query<{ principal: string; key: string }>(
      `INSERT INTO idempotency_keys AS k (principal, key, request_hash, created_at)
         SELECT p, k, h, now() FROM unnest($1::varchar[], $2::varchar[], $3::varchar[]) WITH ORDINALITY AS t(p, k, h, o) ORDER BY o
       ON CONFLICT (principal, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, response = NULL, created_at = now()
         WHERE k.created_at < now() - make_interval(hours => $4::int)
       RETURNING principal, key`,
      [order.map((c) => c.principal), order.map((c) => c.key), order.map((c) => c.requestHash), ttlHours],
    );
    const owned = new Set(claimed.map(lockKey));
    return claims.map((c) => owned.has(lockKey(c)));
  }

  /** Stores each claimed key's answer, inside the transaction that claimed it. */
  async storeResponses(tx: SqlExecutor, answers: { principal: string; key: string; response: unknown }[]): Promise<void> {
    if (answers.length === 0) return;
    await tx.query(
      `UPDATE idempotency_keys AS k SET response = v.r::jsonb
         FROM unnest($1::varchar[], $2::varchar[], $3::text[]) AS v(p, k, r)
        WHERE k.principal = v.p AND k.key = v.k`,
      [answers.map((a) => a.principal), answers.map((a) => a.key), answers.map((a) => JSON.stringify(a.response))],
    );
  }

  /**
   * The stored answer of a key claimed earlier; undefined when nobody holds
   * it. A replay is a POST too: it gives up like the publish path's
   * statements do.
   */
  async find(principal: string, key: string): Promise<StoredKey | undefined> {
    const [row] = await this.db.queryWithin<{ request_hash: string; response: unknown }>(
      PUBLISH_QUERY_TIMEOUT_MS,
      'SELECT request_hash, response FROM idempotency_keys WHERE principal = $1 AND key = $2',
      [principal, key],
    );
    if (!row) return undefined;
    const response = typeof row.response === 'string' ? JSON.parse(row.response) : row.response;
    return { requestHash: row.request_hash.trim(), response };
  }

  /**
   * Deletes up to `batchSize` keys older than the replay window, inside the
   * caller's transaction. The age is checked again on the row being deleted,
   * so a key that ingest re-claimed a moment ago (fresh created_at) survives.
   */
  async purgeStale(tx: SqlExecutor, ttlHours: number, batchSize: number): Promise<PurgeOutcome> {
    const candidates = await tx.query<{ principal: string; key: string }>(
      'SELECT principal, key FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1::int) LIMIT $2',
      [ttlHours, batchSize],
    );
    if (candidates.length === 0) return { scanned: 0, deleted: 0 };
    const deleted = await tx.query(
      `DELETE FROM idempotency_keys k USING unnest($2::varchar[], $3::varchar[]) AS c(principal, key)
        WHERE k.principal = c.principal AND k.key = c.key AND k.created_at < now() - make_interval(hours => $1::int)
       RETURNING 1`,
      [ttlHours, candidates.map((c) => c.principal), candidates.map((c) => c.key)],
    );
    return { scanned: candidates.length, deleted: deleted.length };
  }
}
