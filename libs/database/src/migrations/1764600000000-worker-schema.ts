import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The worker's tables: the transactional outbox the writers fill in the same
 * statement or transaction as the rows it is about, push subscriptions,
 * webhook endpoints and their deliveries, audiences, deferred or
 * audience-wide sends, and preferences. The job queue's own tables are
 * pg-boss's, created by pg-boss in its `pgboss` schema when the worker starts.
 */
export class WorkerSchema1764600000000 implements MigrationInterface {
  name = 'WorkerSchema1764600000000';

  async up(q: QueryRunner): Promise<void> {
    // Drained by the worker in id order into the job queue; a row lives for milliseconds.
    await q.query(`
      CREATE TABLE outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event varchar(48) NOT NULL,
        notification_id uuid,
        user_id varchar(128),
        payload jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE push_subscriptions (
        id uuid PRIMARY KEY,
        user_id varchar(128) NOT NULL,
        endpoint text NOT NULL UNIQUE,
        p256dh varchar(128) NOT NULL,
        auth varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_push_subscriptions_user ON push_subscriptions (user_id)`);
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        owner varchar(128) NOT NULL,
        url text NOT NULL,
        events text[] NOT NULL,
        secret varchar(128) NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id varchar(64) PRIMARY KEY,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        event varchar(48) NOT NULL,
        payload jsonb NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        last_status integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at)`);
    // user_id in byte order ("C"): the member cursor pages by the primary key's order, whatever the database's collation.
    await q.query(`
      CREATE TABLE audience_members (
        audience varchar(128) NOT NULL,
        user_id varchar(128) COLLATE "C" NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (audience, user_id)
      )`);
    await q.query(`
      CREATE TABLE sends (
        id uuid PRIMARY KEY,
        principal varchar(128) NOT NULL,
        audience varchar(128),
        recipients varchar(128)[],
        notification jsonb NOT NULL,
        send_at timestamptz NOT NULL DEFAULT now(),
        status varchar(16) NOT NULL DEFAULT 'queued',
        total integer,
        done integer NOT NULL DEFAULT 0,
        cursor varchar(128),
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE preference_defaults (
        category varchar(64) NOT NULL,
        channel varchar(32) NOT NULL,
        enabled boolean NOT NULL,
        critical boolean NOT NULL DEFAULT false,
        PRIMARY KEY (category, channel)
      )`);
    // type '*' is the whole category; a row for a type overrides it.
    await q.query(`
      CREATE TABLE user_preferences (
        user_id varchar(128) NOT NULL,
        category varchar(64) NOT NULL,
        type varchar(64) NOT NULL,
        channel varchar(32) NOT NULL,
        enabled boolean NOT NULL,
        PRIMARY KEY (user_id, category, type, channel)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['user_preferences', 'preference_defaults', 'sends', 'audience_members', 'webhook_deliveries', 'webhook_endpoints', 'push_subscriptions', 'outbox']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
