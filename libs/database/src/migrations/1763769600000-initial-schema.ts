import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763769600000 implements MigrationInterface {
  name = 'InitialSchema1763769600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY,
        user_id varchar(128) NOT NULL,
        seq bigint NOT NULL,
        type varchar(64) NOT NULL,
        title varchar(200) NOT NULL,
        body text,
        severity varchar(16) NOT NULL DEFAULT 'info',
        data jsonb,
        link text,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        expires_at timestamptz,
        CONSTRAINT uq_notifications_user_seq UNIQUE (user_id, seq)
      )`);
    await q.query(`CREATE INDEX ix_notifications_created_at ON notifications (created_at)`);
    await q.query(`CREATE INDEX ix_notifications_expires_at ON notifications (expires_at) WHERE expires_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE user_states (
        user_id varchar(128) PRIMARY KEY,
        last_seq bigint NOT NULL DEFAULT 0,
        unread_count integer NOT NULL DEFAULT 0
      )`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        principal varchar(128) NOT NULL,
        key varchar(255) NOT NULL,
        request_hash char(64) NOT NULL,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (principal, key)
      )`);
    await q.query(`CREATE INDEX ix_idempotency_keys_created_at ON idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE user_states`);
    await q.query(`DROP TABLE notifications`);
  }
}
