import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys for services. Only a SHA-256 of each key is kept (`key_hash`):
 * the key is random and printed once by `npm run herald -- keys create`.
 * `id` is the key's public part (the `hrld_<id>_` it starts with), so a
 * request finds its row by primary key without scanning hashes.
 */
export class ApiKeys1764200000000 implements MigrationInterface {
  name = 'ApiKeys1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id varchar(32) PRIMARY KEY,
        name varchar(64) NOT NULL,
        key_hash char(64) NOT NULL,
        scopes text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_api_keys_name ON api_keys (name)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
  }
}
