import type { SqlExecutor } from '../database.js';
import { RECEIPTS_TABLE } from '../partition-periods.js';

/** Most receipts one write names (the gateway's buffer flushes at this size). */
export const MAX_RECEIPT_BATCH = 500;

/** A notification a socket got: its id and created_at, as its frame carries them. */
export interface Receipt {
  id: string;
  /** ISO 8601, to the millisecond: where the receipt's partition is. */
  createdAt: string;
}

/**
 * deliveredAt: when a notification was first written to one of its
 * user's sockets. Written in batches by the gateways, one INSERT per batch
 * into notification_receipts (not an UPDATE of the notification: see the
 * NotificationReceipts migration); the first write wins, later ones
 * (another socket, a replay) change nothing. Nothing of the notification is
 * locked, so a receipt never waits on a user's change. Rows go in id order:
 * two gateways writing receipts for the same notifications (one user, two
 * sockets) wait on each other in the same order and never deadlock.
 */
export class DeliveryReceiptsRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** Marks `receipts` delivered at `at` where not yet marked. Answers the ids it did not mark (already marked). */
  async markDelivered(receipts: Receipt[], at: Date): Promise<string[]> {
    if (receipts.length === 0) return [];
    const rows = await this.db.query<{ id: string }>(
      `INSERT INTO ${RECEIPTS_TABLE} (notification_id, created_at, delivered_at)
       SELECT id, created_at, $3 FROM unnest($1::uuid[], $2::timestamptz[]) AS r(id, created_at) ORDER BY id
       ON CONFLICT DO NOTHING
       RETURNING notification_id AS id`,
      [receipts.map((r) => r.id), receipts.map((r) => r.createdAt), at],
    );
    const marked = new Set(rows.map((r) => r.id));
    return receipts.filter((r) => !marked.has(r.id)).map((r) => r.id);
  }
}
