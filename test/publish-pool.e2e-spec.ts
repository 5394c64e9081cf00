import { createDataSource, createPublishPool, Database, InboxRepository, type SqlExecutor } from '@herald/database';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/** How the append statement was planned on the session `exec` runs on, after `times` one-POST appends there. */
async function plansAfterAppends(exec: SqlExecutor, times: number): Promise<{ generic: number; custom: number }> {
  const inbox = new InboxRepository();
  for (let i = 0; i < times; i++) {
    await inbox.append(exec, [{ notification: { type: 'plan', title: 'plan', data: { i } }, recipients: [`plan-user-${i % 3}`] }]);
  }
  const [row] = await exec.query<{ generic: string; custom: string }>(
    `SELECT generic_plans AS generic, custom_plans AS custom FROM pg_prepared_statements WHERE statement LIKE '%INSERT INTO user_states%INSERT INTO notifications%'`,
  );
  return { generic: Number(row.generic), custom: Number(row.custom) };
}

describe('the publish path plans its prepared statements once (real Postgres)', () => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const dataSource = createDataSource({ database: { url: testDb.url, poolSize: 2, dataDir: '' } });
    await dataSource.initialize();
    db = new Database(dataSource, false, createPublishPool(testDb.url, () => undefined));
  }, 60000);
  afterAll(async () => {
    await db.closePublishing();
    await db.dataSource.destroy();
    await testDb.drop();
  });

  it('runs the append on a generic plan on the publish pool, where the main pool re-plans it every time', async () => {
    // One transaction each, so every statement and the check share a session.
    const publishing = await db.publishing.transaction((tx) => plansAfterAppends(tx, 12));
    const main = await db.transaction((tx) => plansAfterAppends(tx, 12));

    expect(publishing).toEqual({ generic: 12, custom: 0 });
    expect(main.custom).toBe(12); // why the publish path has sessions of its own
  });

  it('writes the same rows through either pool: gapless seqs per user', async () => {
    const rows = await db.query<{ user_id: string; seqs: string[] }>(
      `SELECT user_id, array_agg(seq ORDER BY seq) AS seqs FROM notifications WHERE user_id LIKE 'plan-user-%' GROUP BY user_id ORDER BY user_id`,
    );
    expect(rows.map((r) => [r.user_id, r.seqs.map(Number)])).toEqual([
      ['plan-user-0', [1, 2, 3, 4, 5, 6, 7, 8]],
      ['plan-user-1', [1, 2, 3, 4, 5, 6, 7, 8]],
      ['plan-user-2', [1, 2, 3, 4, 5, 6, 7, 8]],
    ]);
  });
});
