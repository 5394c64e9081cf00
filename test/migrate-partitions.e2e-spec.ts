import { randomUUID } from 'node:crypto';
import { migrationTest, type MigrationTest } from './support/migration-test.js';

/** Today's table with rows in it, partitioned by the migration, and back. */
describe('migration: notifications partitioned by created_at', () => {
  let m: MigrationTest;
  const sql = <T = any>(text: string, params: unknown[] = []): Promise<T[]> => m.sql<T>(text, params);
  /** Every row, every column, in one comparable shape. */
  const snapshot = () => sql<{ row: unknown }>('SELECT to_jsonb(n) AS row FROM notifications n ORDER BY id');
  const indexNames = async () => (await sql<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'notifications' ORDER BY indexname")).map((i) => i.indexname);
  let indexesBefore: string[];
  const kind = async () => (await sql<{ relkind: string }>("SELECT relkind FROM pg_class WHERE relname = 'notifications'"))[0].relkind;

  beforeAll(async () => {
    // Up to partitioning only: what comes after changes the table again (and has its own test).
    m = await migrationTest('PartitionNotifications1765000000000');
    // 3 users x 40 rows over the last 100 days, some read, some with an expiry, one a year old.
    for (const user of ['ann', 'bob', 'cy']) {
      for (let seq = 1; seq <= 40; seq++) {
        await sql(
          `INSERT INTO notifications (id, user_id, seq, activity_seq, type, title, data, created_at, read_at, expires_at)
           VALUES ($1, $2, $3, $3, 't', $4, '{"k":1}', now() - make_interval(days => $5), $6, $7)`,
          [randomUUID(), user, seq, `n${seq}`, seq === 1 ? 365 : 100 - seq * 2, seq % 3 === 0 ? new Date() : null, seq % 7 === 0 ? new Date(Date.now() + 86_400_000) : null],
        );
      }
      await sql('INSERT INTO user_states (user_id, last_seq, unread_count) VALUES ($1, 40, 27)', [user]);
    }
  }, 60_000);
  afterAll(async () => {
    await m?.close();
  });

  it('moves every row into time partitions, keeps seq and counts, and enforces the new keys', async () => {
    const rows = await snapshot();
    indexesBefore = await indexNames();

    await m.up();

    expect(await kind()).toBe('p');
    expect(await snapshot()).toEqual(rows);
    const parts = await sql<{ name: string; rows: number }>(
      `SELECT c.relname AS name, (SELECT count(*)::int FROM notifications n WHERE n.tableoid = c.oid) AS rows
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'notifications'::regclass ORDER BY c.relname`,
    );
    expect(parts.length).toBeGreaterThanOrEqual(6); // a year-old month, the last ~4 months, next month, default
    expect(parts.find((p) => p.name === 'notifications_default')?.rows).toBe(0);
    expect(parts.reduce((n, p) => n + p.rows, 0)).toBe(120);
    const [pk] = await sql<{ def: string }>("SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'notifications_pkey'");
    expect(pk.def).toBe('PRIMARY KEY (id, created_at)');
    // Every index of the table as it was (whatever migrations made them), the unique one now plain.
    expect(await indexNames()).toEqual(indexesBefore.map((n) => n.replace('uq_notifications_user_seq', 'ix_notifications_user_seq')).sort());
    expect(indexesBefore).toContain('uq_notifications_user_seq');
    const counts = await sql<{ user_id: string; unread_count: number; actual: number; last_seq: string; max: string }>(
      `SELECT s.user_id, s.unread_count, s.last_seq,
              (SELECT count(*)::int FROM notifications n WHERE n.user_id = s.user_id AND n.read_at IS NULL) AS actual,
              (SELECT max(seq) FROM notifications n WHERE n.user_id = s.user_id) AS max
         FROM user_states s ORDER BY s.user_id`,
    );
    for (const c of counts) expect([c.unread_count, c.last_seq]).toEqual([c.actual, c.max]);
    // A row far outside every partition still lands (DEFAULT), and the plain query still finds it.
    await sql("INSERT INTO notifications (id, user_id, seq, activity_seq, type, title, created_at) VALUES ($1, 'ann', 41, 41, 't', 'far', now() + interval '5 years')", [randomUUID()]);
    expect((await sql('SELECT 1 FROM notifications_default')).length).toBe(1);
    expect((await sql("SELECT seq FROM notifications WHERE user_id = 'ann' ORDER BY seq DESC LIMIT 1"))[0].seq).toBe('41');
  });

  it('goes back to one table with the unique (user_id, seq) constraint on the way down', async () => {
    await sql("DELETE FROM notifications WHERE title = 'far'");
    const rows = await snapshot();

    await m.down();

    expect(await kind()).toBe('r');
    expect(await snapshot()).toEqual(rows);
    expect(await indexNames()).toEqual(indexesBefore);
    const constraints = await sql<{ conname: string; def: string }>(
      "SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'notifications'::regclass AND contype IN ('p', 'u') ORDER BY conname",
    );
    expect(constraints).toEqual([
      { conname: 'notifications_pkey', def: 'PRIMARY KEY (id)' },
      { conname: 'uq_notifications_user_seq', def: 'UNIQUE (user_id, seq)' },
    ]);
    await expect(sql("INSERT INTO notifications (id, user_id, seq, activity_seq, type, title) VALUES ($1, 'ann', 1, 1, 't', 'dup')", [randomUUID()])).rejects.toMatchObject({ code: '23505' });
  });
});
