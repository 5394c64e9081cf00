import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Topics: one state row per topic (its seq, like user_states), its events,
 * and one state row per namespace that allows `ns:*` subscriptions (the
 * namespace-wide seq those subscriptions follow). `trimmed_seq` is the
 * highest position retention has deleted: a client holding less has lost
 * events and must resync.
 */
export class Topics1764400000000 implements MigrationInterface {
  name = 'Topics1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE topic_states (
        topic varchar(128) PRIMARY KEY,
        last_seq bigint NOT NULL DEFAULT 0,
        trimmed_seq bigint NOT NULL DEFAULT 0
      )`);
    await q.query(`
      CREATE TABLE topic_namespace_states (
        namespace varchar(128) PRIMARY KEY,
        last_seq bigint NOT NULL DEFAULT 0,
        trimmed_seq bigint NOT NULL DEFAULT 0
      )`);
    await q.query(`
      CREATE TABLE topic_events (
        topic varchar(128) NOT NULL,
        seq bigint NOT NULL,
        namespace varchar(128) NOT NULL,
        ns_seq bigint,
        type varchar(64) NOT NULL,
        data jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (topic, seq)
      )`);
    await q.query(`CREATE INDEX ix_topic_events_created_at ON topic_events (created_at)`);
    await q.query(`CREATE UNIQUE INDEX ux_topic_events_ns_seq ON topic_events (namespace, ns_seq) WHERE ns_seq IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE topic_events`);
    await q.query(`DROP TABLE topic_namespace_states`);
    await q.query(`DROP TABLE topic_states`);
  }
}
