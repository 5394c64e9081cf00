import type { MigrationInterface, QueryRunner } from 'typeorm';
import { WAS_UNIQUE } from './1765000000000-partition-notifications.js';

const MOVED_INDEX = 'ix_notifications_user_moved';
const SEQ_INDEX = 'ix_notifications_user_seq';
const ACTIVITY_CHECK = 'ck_notifications_activity_from_seq';
/** Longest a step waits for its lock: queued behind a long transaction, it would hold back the traffic queued behind it. */
const LOCK_TIMEOUT = '10s';

/**
 * Drops the (user_id, seq) index, one of the three per-user B-trees every
 * insert descended to a random leaf: at 20 M rows that descent, into
 * indexes the size of the current partition, is what ingest slowed down on
 * (docs/benchmarks.md, round 18). Reads above a seq now come from the
 * (user_id, activity_seq) index for rows whose position never moved, and
 * from a partial index for the few that did (grouping, a woken snooze);
 * see notificationsAboveSql. A CHECK makes the rule those reads stand on,
 * activity_seq never below seq, one the database keeps. Nothing enforced
 * uniqueness through the old index since partitioning (seq allocation
 * does; docs/scaling.md).
 *
 * Up runs outside a transaction, so that each step holds its lock only
 * for itself: the partial index's build reads the table while writes wait
 * (reads go on); the CHECK is added unchecked, a moment under a lock that
 * stops everything, then validated in a read of the table under one that
 * stops nothing; the drop takes a moment under a lock that stops
 * everything. Those two moments wait for every transaction already open,
 * and what arrives meanwhile waits behind them, so each step gives up
 * after LOCK_TIMEOUT and the migration fails: run it again, every step
 * picks up where it stopped. (TypeORM runs down in one transaction.) On a
 * big table run `npm run migrate` in a quiet window all the same.
 */
export class ResumeWithoutSeqIndex1765400000000 implements MigrationInterface {
  name = 'ResumeWithoutSeqIndex1765400000000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SET lock_timeout = '${LOCK_TIMEOUT}'`);
    try {
      await q.query(`CREATE INDEX IF NOT EXISTS ${MOVED_INDEX} ON notifications (user_id, seq) WHERE activity_seq <> seq`);
      if (!(await hasConstraint(q, ACTIVITY_CHECK))) {
        await q.query(`ALTER TABLE notifications ADD CONSTRAINT ${ACTIVITY_CHECK} CHECK (activity_seq >= seq) NOT VALID`);
      }
      await q.query(`ALTER TABLE notifications VALIDATE CONSTRAINT ${ACTIVITY_CHECK}`);
      await q.query(`DROP INDEX IF EXISTS ${SEQ_INDEX}`);
    } finally {
      await q.query('RESET lock_timeout');
    }
  }

  /** The index back, with the comment that lets PartitionNotifications' down make (user_id, seq) unique again. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS ${SEQ_INDEX} ON notifications (user_id, seq)`);
    await q.query(`COMMENT ON INDEX ${SEQ_INDEX} IS '${WAS_UNIQUE}constraint uq_notifications_user_seq'`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT IF EXISTS ${ACTIVITY_CHECK}`);
    await q.query(`DROP INDEX IF EXISTS ${MOVED_INDEX}`);
  }
}

async function hasConstraint(q: QueryRunner, name: string): Promise<boolean> {
  const rows: unknown[] = await q.query(`SELECT 1 FROM pg_constraint WHERE conrelid = 'notifications'::regclass AND conname = $1`, [name]);
  return rows.length > 0;
}
