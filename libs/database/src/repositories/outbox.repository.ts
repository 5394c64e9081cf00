import type { SqlExecutor } from '../database.js';

/**
 * Outbox events that are not webhook events but instructions to the worker
 * (the notification.* events are `WebhookEvent`s).
 */
export const OutboxEvent = {
  /** payload {sendId, sendAt?}: run the send at sendAt (or now). */
  SendReady: 'send.ready',
  /** payload {deliveryId}: deliver that webhook delivery again. */
  WebhookReplay: 'webhook.replay',
} as const;

/** One outbox row: an event about a notification (or a send) that the worker turns into jobs. */
export interface OutboxEntry {
  id: number;
  event: string;
  notificationId: string | null;
  userId: string | null;
  payload: Record<string, unknown> | null;
  createdAt: string;
}

/**
 * The transactional outbox. Writers add rows inside the statement or
 * transaction of the change they announce (ingest through OUTBOX_DELIVERED;
 * others through `add`), so a rollback leaves no row and a commit leaves one
 * even if every process dies right after. The worker `take`s rows and
 * enqueues their jobs in the same transaction: each row becomes jobs once.
 */
export class OutboxRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** Adds events inside the caller's transaction. */
  async add(tx: SqlExecutor, entries: { event: string; notificationId?: string; userId?: string; payload?: unknown }[]): Promise<void> {
    if (entries.length === 0) return;
    await tx.query(
      `INSERT INTO outbox (event, notification_id, user_id, payload)
         SELECT * FROM unnest($1::varchar[], $2::uuid[], $3::varchar[], $4::jsonb[])`,
      [
        entries.map((e) => e.event),
        entries.map((e) => e.notificationId ?? null),
        entries.map((e) => e.userId ?? null),
        entries.map((e) => (e.payload === undefined ? null : JSON.stringify(e.payload))),
      ],
    );
  }

  /**
   * Deletes and answers up to `limit` of the oldest rows, inside the caller's
   * transaction; rows another drainer holds are skipped, not waited for.
   * When the caller rolls back, the rows are back for the next take.
   */
  async take(tx: SqlExecutor, limit: number): Promise<OutboxEntry[]> {
    const rows = await tx.query<{ id: string; event: string; notification_id: string | null; user_id: string | null; payload: Record<string, unknown> | null; created_at: Date }>(
      `DELETE FROM outbox o USING (SELECT id FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED) b
        WHERE o.id = b.id
        RETURNING o.id, o.event, o.notification_id, o.user_id, o.payload, o.created_at`,
      [limit],
    );
    return rows
      .map((r) => ({ id: Number(r.id), event: r.event, notificationId: r.notification_id, userId: r.user_id, payload: r.payload, createdAt: new Date(r.created_at).toISOString() }))
      .sort((a, b) => a.id - b.id);
  }

  /** Rows waiting (the queue-depth metric's outbox part). */
  async depth(): Promise<number> {
    const [row] = await this.db.query<{ n: string }>('SELECT count(*) AS n FROM outbox');
    return Number(row?.n ?? 0);
  }
}
