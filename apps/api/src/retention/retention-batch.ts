import type { SqlExecutor } from '@herald/database';

/** Any fixed number, distinct from the migration lock: the key only one replica's cleanup holds at a time. */
export const RETENTION_LOCK_KEY = 727_002;

/** What one batch looked at and what it removed. */
export interface BatchOutcome {
  /** Candidate rows found; fewer than the batch size means nothing is left. */
  scanned: number;
  deleted: number;
}

/**
 * Takes the cleanup lock for the rest of the caller's transaction, without
 * waiting: false means another replica is cleaning up right now.
 */
export async function tryRetentionLock(tx: SqlExecutor): Promise<boolean> {
  const [row] = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1::bigint) AS locked', [RETENTION_LOCK_KEY]);
  return row?.locked === true;
}

/** Expired, or older than the retention window (`$1` days). */
const OUT_OF_RETENTION = '(expires_at < now() OR created_at < now() - make_interval(days => $1::int))';

/**
 * Deletes up to `batchSize` expired or too-old notifications, inside the
 * caller's transaction, and takes their unread ones off `unread_count`.
 *
 * The affected user_states rows are locked first, in the order ingest locks
 * them (ids sorted in JS, locked by ordinality, so the database collation
 * cannot reorder them), and inbox writes lock the same row before touching a
 * notification: no deadlock, and `read_at` cannot change under us, so the
 * decrement is exact. user_states rows are never deleted: seq never restarts.
 */
export async function deleteNotificationsBatch(tx: SqlExecutor, retentionDays: number, batchSize: number): Promise<BatchOutcome> {
  const candidates = await tx.query<{ id: string; user_id: string }>(
    `SELECT id, user_id FROM notifications WHERE ${OUT_OF_RETENTION} LIMIT $2`,
    [retentionDays, batchSize],
  );
  if (candidates.length === 0) return { scanned: 0, deleted: 0 };
  const users = [...new Set(candidates.map((c) => c.user_id))].sort();
  await tx.query(
    `SELECT s.user_id FROM unnest($1::varchar[]) WITH ORDINALITY AS t(u, o)
       JOIN user_states s ON s.user_id = t.u ORDER BY t.o FOR UPDATE OF s`,
    [users],
  );
  // Re-checked after the locks: a row the user deleted meanwhile is simply not returned.
  const deleted = await tx.query<{ user_id: string; unread: boolean }>(
    `DELETE FROM notifications WHERE id = ANY($2::uuid[]) AND ${OUT_OF_RETENTION}
     RETURNING user_id, read_at IS NULL AS unread`,
    [retentionDays, candidates.map((c) => c.id)],
  );
  const unread = unreadByUser(deleted);
  if (unread.size > 0) {
    await tx.query(
      `UPDATE user_states s SET unread_count = GREATEST(s.unread_count - d.n, 0)
         FROM unnest($1::varchar[], $2::int[]) AS d(u, n) WHERE s.user_id = d.u`,
      [[...unread.keys()], [...unread.values()]],
    );
  }
  return { scanned: candidates.length, deleted: deleted.length };
}

/**
 * Deletes up to `batchSize` idempotency keys older than the replay window.
 * The age is checked again on the row being deleted, so a key that ingest
 * re-claimed a moment ago (fresh created_at) survives.
 */
export async function deleteIdempotencyKeysBatch(tx: SqlExecutor, ttlHours: number, batchSize: number): Promise<BatchOutcome> {
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

/** Deleted rows → how many unread ones each user lost. */
export function unreadByUser(rows: { user_id: string; unread: boolean }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) if (row.unread) counts.set(row.user_id, (counts.get(row.user_id) ?? 0) + 1);
  return counts;
}
