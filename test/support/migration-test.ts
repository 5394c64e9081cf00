import pg from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../libs/database/src/migrations/index.js';
import { createTestDatabase } from './test-database.js';

/** A database migrated up to (not through) one migration, for a test of that migration's up and down. */
export interface MigrationTest {
  /** The test database, for a connection of the test's own. */
  url: string;
  sql<T = any>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs the migration under test (and anything before it not run yet). */
  up(): Promise<void>;
  /** Undoes the last `count` migrations run. */
  down(count?: number): Promise<void>;
  close(): Promise<void>;
}

/** Creates the test's own database and runs every migration before `name` (the one under test) on it. */
export async function migrationTest(name: string): Promise<MigrationTest> {
  const index = MIGRATIONS.findIndex((m) => m.name === name);
  if (index < 0) throw new Error(`no migration named ${name}`);
  const through = MIGRATIONS.slice(0, index + 1);
  const db = await createTestDatabase({ migrate: false });
  const withSource = async (migrations: typeof MIGRATIONS, work: (source: DataSource) => Promise<unknown>) => {
    const source = new DataSource({ type: 'postgres', url: db.url, entities: [], migrations, migrationsRun: false });
    await source.initialize();
    try {
      await work(source);
    } finally {
      await source.destroy();
    }
  };
  const client = new pg.Client({ connectionString: db.url });
  try {
    await withSource(through.slice(0, -1), (source) => source.runMigrations({ transaction: 'each' }));
    await client.connect();
  } catch (err) {
    await db.drop();
    throw err;
  }
  return {
    url: db.url,
    sql: async (text, params = []) => (await client.query(text, params)).rows,
    up: () => withSource(through, (source) => source.runMigrations({ transaction: 'each' })),
    down: (count = 1) =>
      withSource(through, async (source) => {
        for (let i = 0; i < count; i++) await source.undoLastMigration({ transaction: 'each' });
      }),
    close: async () => {
      await client.end();
      await db.drop();
    },
  };
}
