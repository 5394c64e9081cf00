import type { MigrationInterface, QueryRunner } from 'typeorm';
import { NOTIFICATIONS_TABLE, RECEIPTS_TABLE, receiptCreatedAt, receiptsPartitionOf } from '../partition-periods.js';

/**
 * Moves deliveredAt out of `notifications` into `notification_receipts`,
 * an insert-only table. A receipt used to be an UPDATE of the notification's
 * row: a new version of the whole row (about 790 bytes of WAL with its index
 * entries) and a row lock, for every notification a socket got. A receipt
 * row is three columns and one index entry (220–250 bytes), written with
 * INSERT … ON CONFLICT DO NOTHING, so the first receipt still wins.
 *
 * Expand, then contract: the old column stays. During a rolling upgrade the
 * previous release's gateways still write it and its apis still read it;
 * reads take the earlier of the column and the receipt (notification-row.ts).
 * The release that drops the column must first copy what it holds into
 * receipts, keeping the earlier where both exist (ON CONFLICT DO UPDATE SET
 * delivered_at = LEAST(…)), since receipts may be written by then.
 *
 * `created_at` is the notification's, to the millisecond (what frames
 * carry), so receipts are partitioned like notifications: one partition per
 * notifications partition, same bounds, same name suffix, plus a DEFAULT.
 * PartitionsRepository creates and drops them together from then on.
 */
export class NotificationReceipts1765200000000 implements MigrationInterface {
  name = 'NotificationReceipts1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE ${RECEIPTS_TABLE} (
         notification_id uuid NOT NULL,
         created_at timestamptz NOT NULL,
         delivered_at timestamptz NOT NULL,
         PRIMARY KEY (notification_id, created_at)
       ) PARTITION BY RANGE (created_at)`,
    );
    const partitions: { name: string; bound: string }[] = await q.query(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass ORDER BY 1`,
      [NOTIFICATIONS_TABLE],
    );
    for (const { name, bound } of partitions) {
      await q.query(`CREATE TABLE ${receiptsPartitionOf(name)} PARTITION OF ${RECEIPTS_TABLE} ${bound}`);
    }
    await q.query(
      `INSERT INTO ${RECEIPTS_TABLE} (notification_id, created_at, delivered_at)
       SELECT id, ${receiptCreatedAt('created_at')}, delivered_at FROM ${NOTIFICATIONS_TABLE} WHERE delivered_at IS NOT NULL`,
    );
  }

  /** Receipts go back into the column, the earlier of the two where both exist (what reads showed). */
  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE ${NOTIFICATIONS_TABLE} n SET delivered_at = LEAST(n.delivered_at, r.delivered_at) FROM ${RECEIPTS_TABLE} r
        WHERE r.notification_id = n.id AND r.created_at = ${receiptCreatedAt('n.created_at')}`,
    );
    await q.query(`DROP TABLE ${RECEIPTS_TABLE}`);
  }
}
