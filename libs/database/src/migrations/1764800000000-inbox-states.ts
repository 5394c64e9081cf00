import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox people expect: content (category, tags, actions, avatar, actor),
 * grouping (group_key and what grouped in), the states (seen, archived,
 * snoozed, interacted, delivered), who published it, and activity_seq, the
 * position that last moved it to the top (lists order by it). user_states
 * gains a counter per default tab beside unread_count, kept the same way.
 * inbox_changes is the change log: one row per change entry on the user's
 * ordered stream, keyed (user_id, seq) like the notifications.
 *
 * Nothing references notifications(id) and no unique index on notifications
 * leaves out created_at: the table may be partitioned by created_at later.
 */
export class InboxStates1764800000000 implements MigrationInterface {
  name = 'InboxStates1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notifications
        ADD COLUMN activity_seq bigint,
        ADD COLUMN category varchar(64),
        ADD COLUMN tags varchar(64)[] NOT NULL DEFAULT '{}',
        ADD COLUMN actions jsonb,
        ADD COLUMN avatar text,
        ADD COLUMN actor varchar(100),
        ADD COLUMN group_key varchar(128),
        ADD COLUMN group_count integer NOT NULL DEFAULT 1,
        ADD COLUMN group_actors varchar(100)[] NOT NULL DEFAULT '{}',
        ADD COLUMN grouped_at timestamptz,
        ADD COLUMN seen_at timestamptz,
        ADD COLUMN archived_at timestamptz,
        ADD COLUMN snoozed_until timestamptz,
        ADD COLUMN interacted_at timestamptz,
        ADD COLUMN interaction varchar(32),
        ADD COLUMN delivered_at timestamptz,
        ADD COLUMN publisher varchar(128)`);
    await q.query(`UPDATE notifications SET activity_seq = seq`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN activity_seq SET NOT NULL`);
    // Lists: newest activity first, all states; the unread tab (the badge's list) has its own.
    await q.query(`CREATE INDEX ix_notifications_user_activity ON notifications (user_id, activity_seq)`);
    await q.query(`
      CREATE INDEX ix_notifications_user_unread ON notifications (user_id, activity_seq)
        WHERE read_at IS NULL AND archived_at IS NULL AND snoozed_until IS NULL`);
    await q.query(`CREATE INDEX ix_notifications_user_category ON notifications (user_id, category, activity_seq) WHERE category IS NOT NULL`);
    // Grouping looks for the user's open entry with a key; not unique (see above): the user's row lock serialises grouping.
    await q.query(`
      CREATE INDEX ix_notifications_user_group ON notifications (user_id, group_key)
        WHERE group_key IS NOT NULL AND read_at IS NULL AND archived_at IS NULL AND snoozed_until IS NULL`);
    await q.query(`CREATE INDEX ix_notifications_snoozed ON notifications (snoozed_until) WHERE snoozed_until IS NOT NULL`);

    await q.query(`
      ALTER TABLE user_states
        ADD COLUMN inbox_count integer NOT NULL DEFAULT 0,
        ADD COLUMN unseen_count integer NOT NULL DEFAULT 0,
        ADD COLUMN archived_count integer NOT NULL DEFAULT 0,
        ADD COLUMN snoozed_count integer NOT NULL DEFAULT 0`);
    // Every existing row is in the inbox and unseen; unread_count already counts the unread ones.
    await q.query(`
      UPDATE user_states s SET inbox_count = c.n, unseen_count = c.n
        FROM (SELECT user_id, count(*)::int AS n FROM notifications GROUP BY user_id) c WHERE s.user_id = c.user_id`);

    await q.query(`
      CREATE TABLE inbox_changes (
        user_id varchar(128) NOT NULL,
        seq bigint NOT NULL,
        kind varchar(16) NOT NULL,
        ids uuid[] NOT NULL DEFAULT '{}',
        detail jsonb,
        counts jsonb NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, seq)
      )`);
    await q.query(`CREATE INDEX ix_inbox_changes_at ON inbox_changes (at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inbox_changes`);
    await q.query(`ALTER TABLE user_states DROP COLUMN inbox_count, DROP COLUMN unseen_count, DROP COLUMN archived_count, DROP COLUMN snoozed_count`);
    await q.query(`DROP INDEX ix_notifications_user_activity, ix_notifications_user_unread, ix_notifications_user_category, ix_notifications_user_group, ix_notifications_snoozed`);
    await q.query(`
      ALTER TABLE notifications
        DROP COLUMN activity_seq, DROP COLUMN category, DROP COLUMN tags, DROP COLUMN actions, DROP COLUMN avatar, DROP COLUMN actor,
        DROP COLUMN group_key, DROP COLUMN group_count, DROP COLUMN group_actors, DROP COLUMN grouped_at, DROP COLUMN seen_at,
        DROP COLUMN archived_at, DROP COLUMN snoozed_until, DROP COLUMN interacted_at, DROP COLUMN interaction, DROP COLUMN delivered_at,
        DROP COLUMN publisher`);
  }
}
