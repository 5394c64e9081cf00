// Tables of the reference server (bench/reference-server.mjs): the same
// gapless per-user seq as Herald (an upserted counter row) and a plain
// notifications table with the same primary key and (user_id, seq) unique
// index, but none of Herald's other columns or indexes; topics likewise.
export const REFERENCE_DDL = [
  `CREATE TABLE IF NOT EXISTS ref_user_states (user_id text PRIMARY KEY, last_seq bigint NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ref_notifications (
     id uuid PRIMARY KEY, user_id text NOT NULL, seq bigint NOT NULL, type text NOT NULL, title text NOT NULL,
     data jsonb, created_at timestamptz NOT NULL DEFAULT now(), UNIQUE (user_id, seq))`,
  `CREATE TABLE IF NOT EXISTS ref_topic_states (topic text PRIMARY KEY, last_seq bigint NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ref_topic_events (
     topic text NOT NULL, seq bigint NOT NULL, type text NOT NULL, data jsonb, created_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (topic, seq))`,
];

/** A topic event: the topic's seq and the row in one statement, as Herald's topic publish does. */
export const REFERENCE_TOPIC_INSERT = `
  WITH s AS (
    INSERT INTO ref_topic_states AS s (topic, last_seq) VALUES ($1, 1)
    ON CONFLICT (topic) DO UPDATE SET last_seq = s.last_seq + 1
    RETURNING last_seq)
  INSERT INTO ref_topic_events (topic, seq, type, data)
  SELECT $1, last_seq, $2, $3::jsonb FROM s
  RETURNING seq, created_at`;

/** Seq allocation and insert in one statement: the least a Node server can do per POST. */
export const REFERENCE_INSERT = `
  WITH s AS (
    INSERT INTO ref_user_states AS s (user_id, last_seq)
    SELECT u, 1 FROM unnest($1::text[]) WITH ORDINALITY AS t(u, o) ORDER BY o
    ON CONFLICT (user_id) DO UPDATE SET last_seq = s.last_seq + 1
    RETURNING user_id, last_seq)
  INSERT INTO ref_notifications (id, user_id, seq, type, title, data)
  SELECT gen_random_uuid(), user_id, last_seq, $2, $3, $4::jsonb FROM s
  RETURNING id, user_id, seq, created_at`;

export async function createReferenceSchema(db) {
  for (const sql of REFERENCE_DDL) await db.query(sql);
}
