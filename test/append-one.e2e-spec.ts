import { createDataSource, createPublishPool, Database, InboxRepository, type NewNotification, type SqlExecutor } from '@herald/database';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/** Contents from bare to every field, the edge values included (null data, empty tags, a lone actor). */
const CONTENTS: NewNotification[] = [
  { type: 'bench', title: 'bench', data: { sentAt: 1, tag: 'x', pad: 'p'.repeat(40) } },
  { type: 't', title: 'bare' },
  { type: 't', title: 'null data', data: null, body: null, link: null },
  {
    type: 'quiz_result', title: 'every field', body: 'b', severity: 'warning', data: { a: [1, { b: null }], 'ü': 'ß' }, link: 'https://example.com/x',
    expiresAt: '2999-01-01T00:00:00.000Z', category: 'news', tags: ['a', 'b:c'], actions: [{ id: 'one', label: 'One', url: 'https://example.com/a', style: 'primary' }],
    avatar: 'http://host/a.png', actor: 'Ana', groupKey: 'comment:post-42',
  },
  { type: 't', title: 'empty lists', tags: [], actions: [] },
  { type: 't', title: 'quotes "and" {braces}, commas', body: 'a\\b', tags: ['x"y', 'a,b', '{c}'], actor: 'O\'Neil' },
];

/**
 * A POST to one recipient alone in its batch takes its own statement
 * (append.sql.ts); in a batch it takes the batch statement. Both must
 * write the same: the same row, the same state and counters, the same
 * outbox entry, on the publish pool's generic plans as on the main pool.
 */
describe('one request to one recipient writes what the batch statement writes (real Postgres)', () => {
  let testDb: TestDatabase;
  let db: Database;
  const inbox = new InboxRepository();

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const dataSource = createDataSource({ database: { url: testDb.url, poolSize: 2, dataDir: '' } });
    await dataSource.initialize();
    db = new Database(dataSource, false, createPublishPool(testDb.url, () => undefined));
    // A push subscription for every other user on each side: their rows also write an outbox entry.
    await db.query(
      `INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth)
       SELECT gen_random_uuid(), prefix || k, 'https://push.example/' || prefix || k, 'p', 'a'
         FROM generate_series(0, $1::int - 1, 2) AS k, unnest(ARRAY['one-p', 'batch-p', 'one-m', 'batch-m']) AS prefix`,
      [CONTENTS.length],
    );
  }, 60000);
  afterAll(async () => {
    await db.closePublishing();
    await db.dataSource.destroy();
    await testDb.drop();
  });

  it.each([['publish pool', () => db.publishing], ['main pool', () => db]] as const)('on the %s', async (pool, executor) => {
    const tag = pool === 'main pool' ? 'm' : 'p';
    // Which statement each append ran: the one-row statement names one user in VALUES, the batch's unnests arrays.
    const ran: string[] = [];
    const exec = (): SqlExecutor => ({
      query: (sql, params) => {
        ran.push(/VALUES \(\$1::varchar/.test(sql) ? 'one' : /unnest\(\$1::varchar\[\]/.test(sql) ? 'batch' : 'other');
        return executor().query(sql, params);
      },
    });
    for (const [k, notification] of CONTENTS.entries()) {
      const user = `${k}`;
      for (const round of [0, 1]) { // a new user's first row (insert), then its second (conflict, update)
        const publisher = round ? null : 'svc-a';
        const [[one]] = await inbox.append(exec(), [{ notification, recipients: [`one-${tag}${user}`], publisher }]);
        const [[batch]] = await inbox.append(exec(), [
          { notification, recipients: [`batch-${tag}${user}`], publisher },
          { notification, recipients: [`filler-${tag}${user}`], publisher },
        ]);
        expect({ ...one, id: 'x', userId: 'x', createdAt: 'x' }).toEqual({ ...batch, id: 'x', userId: 'x', createdAt: 'x' });
      }
    }
    expect(ran).toEqual(CONTENTS.flatMap(() => ['one', 'batch', 'one', 'batch']));
    const [ones, batches] = await Promise.all(['one-', 'batch-'].map((prefix) => written(`${prefix}${tag}`)));
    expect(ones.rows).toHaveLength(CONTENTS.length * 2);
    expect(ones).toEqual(batches);
  });

  /** Every column a user's rows, state and outbox entries have, but ids and times, keyed by the user's number. */
  async function written(prefix: string) {
    const strip = <T extends { user_id: string }>(rows: T[]) => rows.map((r) => ({ ...r, user_id: r.user_id.slice(prefix.length) }));
    const rows = await db.query<{ user_id: string }>(
      `SELECT to_jsonb(n) - 'id' - 'created_at' AS row, n.user_id, n.expires_at = '2999-01-01T00:00:00Z' AS expires_then,
              n.created_at > now() - interval '1 minute' AND n.created_at <= now() AS created_now
         FROM notifications n WHERE user_id LIKE $1 || '%' ORDER BY user_id, seq`,
      [prefix],
    );
    const states = await db.query<{ user_id: string }>(`SELECT * FROM user_states WHERE user_id LIKE $1 || '%' ORDER BY user_id`, [prefix]);
    const outbox = await db.query<{ user_id: string }>(
      `SELECT event, user_id, payload, notification_id IS NOT NULL AS has_id FROM outbox WHERE user_id LIKE $1 || '%' ORDER BY user_id`,
      [prefix],
    );
    const withoutUser = (rows: { user_id: string; row?: Record<string, unknown> }[]) =>
      rows.map((r) => (r.row ? { ...r, row: { ...r.row, user_id: undefined } } : r));
    return { rows: strip(withoutUser(rows)), states: strip(states), outbox: strip(outbox) };
  }
});
