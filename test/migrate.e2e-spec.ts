import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const run = promisify(execFile);
const MIGRATE = join(process.cwd(), 'dist/libs/database/src/migrate.js');

describe('npm run migrate', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await db.drop();
  });

  it('applies the schema once even when three runs start together, and is a no-op afterwards', async () => {
    const env = { PATH: process.env.PATH ?? '', DATABASE_URL: db.url, NODE_ENV: 'production', HERALD_JWT_SECRET: 's'.repeat(32) };

    const runs = await Promise.all([1, 2, 3].map(() => run(process.execPath, [MIGRATE], { env })));
    const again = await run(process.execPath, [MIGRATE], { env });

    expect(runs.filter((r) => r.stdout.includes('applied:'))).toHaveLength(1);
    expect(again.stdout).toContain('schema is up to date');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    // Partitions aside: those of notifications depend on the day the test runs.
    const { rows } = await client.query(
      `SELECT c.relname AS tablename FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname`,
    );
    await client.end();
    expect(rows.map((r) => r.tablename)).toEqual([
      'api_keys', 'audience_members', 'idempotency_keys', 'inbox_changes', 'migrations', 'notification_receipts', 'notifications', 'outbox', 'preference_defaults', 'push_subscriptions',
      'sends', 'topic_events', 'topic_namespace_states', 'topic_states', 'user_preferences', 'user_states', 'webhook_deliveries',
      'webhook_endpoints',
    ]);
  });
});
