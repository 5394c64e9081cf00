import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What PartitionNotifications wrote on the index, so its down migration makes (user_id, seq) unique again. */
const WAS_UNIQUE_COMMENT = 'herald: was unique as constraint uq_notifications_user_seq';

/**
 * Drops the (user_id, seq) index, one of the three per-user B-trees every
 * insert descended to a random leaf: at 20 M rows that descent, into
 * indexes the size of the current partition, is what ingest slows down on
 * (docs/benchmarks.md, round 18). Reads above a seq now come from the
 * (user_id, activity_seq) index for rows whose position never moved, and
 * from this partial index for the few that did (grouping, a woken snooze);
 * see notificationsAboveSql. Nothing enforced uniqueness through the old
 * index since partitioning (seq allocation does; docs/scaling.md).
 *
 * Building the partial index reads the whole table under a lock that holds
 * writes (not reads) back meanwhile; the drop comes after, as its lock
 * stops reads too and lasts until the commit. On a big table run
 * `npm run migrate` in a quiet window, as for partitioning.
 */
export class ResumeWithoutSeqIndex1765400000000 implements MigrationInterface {
  name = 'ResumeWithoutSeqIndex1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX ix_notifications_user_moved ON notifications (user_id, seq) WHERE activity_seq <> seq');
    await q.query('DROP INDEX ix_notifications_user_seq');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX ix_notifications_user_moved');
    await q.query('CREATE INDEX ix_notifications_user_seq ON notifications (user_id, seq)');
    await q.query(`COMMENT ON INDEX ix_notifications_user_seq IS '${WAS_UNIQUE_COMMENT}'`);
  }
}
