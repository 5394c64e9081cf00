import { createDataSource, createPublishPool, Database, InboxRepository, type SqlExecutor } from '@herald/database';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/** The two append statements: a batch's (array parameters) and one request to one recipient's (append.sql.ts). */
const STATEMENTS = { batch: '%INSERT INTO user_states%unnest(%INSERT INTO notifications%', one: '%INSERT INTO user_states%VALUES ($1::varchar%INSERT INTO notifications%' };

/**
 * How an append statement was planned on the session `exec` runs on, after
 * `times` appends there of one POST to one of three users of `group`; as a
 * batch, each append also carries a second POST (to another user), which
 * takes the batch statement.
 */
async function plansAfterAppends(exec: SqlExecutor, group: string, times: number, shape: keyof typeof STATEMENTS): Promise<{ generic: number; custom: number }> {
  const inbox = new InboxRepository();
  for (let i = 0; i < times; i++) {
    const post = { notification: { type: 'plan', title: 'plan', data: { i } }, recipients: [`${group}-user-${i % 3}`] };
    await inbox.append(exec, shape === 'one' ? [post] : [post, { ...post, recipients: [`${group}-other`] }]);
  }
  const [row] = await exec.query<{ generic: string; custom: string }>(
    `SELECT generic_plans AS generic, custom_plans AS custom FROM pg_prepared_statements WHERE statement LIKE $1`,
    [STATEMENTS[shape]],
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

  it('runs the append on a generic plan on the publish pool, a batch and a single row alike', async () => {
    // One transaction, so every statement and the check share a session.
    const plans = await db.publishing.transaction((tx) => plansAfterAppends(tx, 'generic', 12, 'batch'));
    expect(plans).toEqual({ generic: 12, custom: 0 });
    expect(await seqsOf('generic')).toEqual([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]]);
    const one = await db.publishing.transaction((tx) => plansAfterAppends(tx, 'one', 12, 'one'));
    expect(one).toEqual({ generic: 12, custom: 0 });
    expect(await seqsOf('one')).toEqual([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]]);
  });

  it('plans it afresh each time on the main pool: the premise of a pool of its own (Postgres 15, these array parameters)', async () => {
    const plans = await db.transaction((tx) => plansAfterAppends(tx, 'custom', 12, 'batch'));
    expect(plans.custom).toBe(12);
    expect(await seqsOf('custom')).toEqual([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]]);
  });

  /** Each of the three users' seqs, in order: gapless whichever pool wrote them. */
  async function seqsOf(group: string): Promise<number[][]> {
    const rows = await db.query<{ seqs: string[] }>(
      `SELECT array_agg(seq ORDER BY seq) AS seqs FROM notifications WHERE user_id LIKE $1 GROUP BY user_id ORDER BY user_id`,
      [`${group}-user-%`],
    );
    return rows.map((r) => r.seqs.map(Number));
  }
});
