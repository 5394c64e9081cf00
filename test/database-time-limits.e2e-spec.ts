import type { DataSource } from 'typeorm';
import pg from 'pg';
import { createPublishPool, Database } from '@herald/database';
import { isDatabaseUnavailable } from '../apps/api/src/errors/database-unavailable.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * The time limits a request's statements carry while Postgres may hang
 * (docs/security.md, "Under faults"), against a real Postgres: the publish
 * pool's own settings, and queryWithin on an ordinary pool.
 */
describe('database time limits', () => {
  let db: TestDatabase;
  const pools: pg.Pool[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await db?.drop();
  });

  it('opens publish-pool sessions that Postgres itself cancels after 9 s, and ends idle transactions after 10 s', async () => {
    const pool = createPublishPool(db.url, () => undefined);
    pools.push(pool);

    const { rows } = await pool.query(`SELECT current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle,
                                              current_setting('plan_cache_mode') AS plans`);

    expect(rows).toEqual([{ statement: '9s', idle: '10s', plans: 'force_generic_plan' }]);
  });

  it('answers a statement the server cancelled (57014) as unavailable, a 503', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    pools.push(pool);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SET LOCAL statement_timeout = '50ms'");
      const err = await client.query('SELECT pg_sleep(1)').catch((e: unknown) => e);
      await client.query('ROLLBACK');

      expect(err).toMatchObject({ code: '57014' });
      expect(isDatabaseUnavailable(err)).toBe(true);
    } finally {
      client.release();
    }
  });

  it('gives up on a read after queryWithin\'s time, as unavailable, and closes that connection rather than reuse it', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    pools.push(pool);
    const sut = new Database(undefined as unknown as DataSource, false, undefined, pool);

    const err = await sut.queryWithin(100, 'SELECT pg_sleep(2)').catch((e: unknown) => e);

    expect(err).toMatchObject({ message: 'Query read timeout' });
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(pool.totalCount).toBe(0);
    await expect(sut.queryWithin(1000, 'SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
  });
});
