import pg from 'pg';
import { createDataSource, createPublishPool, Database } from '@herald/database';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

describe('a connection lost inside a transaction (real Postgres)', () => {
  let testDb: TestDatabase;
  let db: Database;
  let admin: pg.Pool;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const dataSource = createDataSource({ database: { url: testDb.url, poolSize: 2, dataDir: '' } });
    await dataSource.initialize();
    db = new Database(dataSource, false, createPublishPool(testDb.url, () => undefined));
    admin = new pg.Pool({ connectionString: testDb.url, max: 1 });
  }, 60000);
  afterAll(async () => {
    await admin.end();
    await db.closePublishing();
    await db.dataSource.destroy();
    await testDb.drop();
  });

  // Between two statements a checked-out client has no pg-pool listener:
  // the server's goodbye used to be an unhandled 'error' that ended the process.
  it.each([['main', () => db], ['publishing', () => db.publishing]])(
    'fails that transaction only, on the %s pool, and the pool carries on',
    async (_name, target) => {
      const failed = target().transaction(async (tx) => {
        const [{ pid }] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        await new Promise((r) => setTimeout(r, 300)); // the goodbye arrives while no statement runs
        await tx.query('SELECT 1');
      });
      await expect(failed).rejects.toThrow();
      expect(await target().transaction((tx) => tx.query<{ one: number }>('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
    },
  );
});
