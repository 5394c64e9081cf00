import type { SqlExecutor } from '../database.js';

/** Most ids one receipt write names (the gateway's buffer flushes at this size). */
export const MAX_RECEIPT_BATCH = 500;

/**
 * deliveredAt: when a notification was first written to one of its
 * user's sockets. Written in batches by the gateways, one statement per
 * batch; the first write wins, later ones (another socket, a replay) change
 * nothing. Rows another transaction holds right now (a change the user is
 * making) are skipped rather than waited for, so a receipt batch, which
 * spans many users, never waits on or deadlocks with a user's change.
 */
export class DeliveryReceiptsRepository {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * Marks `ids` delivered at `at` where not yet marked. Answers the ids it
   * did not mark: already marked, gone, or skipped because locked (the
   * caller may try those once more).
   */
  async markDelivered(ids: string[], at: Date): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query<{ id: string }>(
      `WITH cand AS (
         SELECT id FROM notifications WHERE id = ANY($1::uuid[]) AND delivered_at IS NULL ORDER BY id FOR UPDATE SKIP LOCKED
       ), upd AS (UPDATE notifications n SET delivered_at = $2 FROM cand WHERE n.id = cand.id RETURNING n.id)
       SELECT id FROM upd`,
      [ids, at],
    );
    const marked = new Set(rows.map((r) => r.id));
    return ids.filter((id) => !marked.has(id));
  }
}
