import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { NotificationReader } from '../libs/database/src/repositories/notification-reader.js';
import { migrationTest, type MigrationTest } from './support/migration-test.js';

/**
 * The (user_id, seq) index swapped for the moved rows' partial one and a CHECK, reads unchanged, and back down to the
 * unique constraint. The tests run in order on one database: up (failed twice, then whole), what up made, down.
 */
describe('migration: reads above a seq without the (user_id, seq) index', () => {
  let m: MigrationTest;
  const sql = <T = any>(text: string, params: unknown[] = []): Promise<T[]> => m.sql<T>(text, params);
  /** An index's definition on the parent table and on every partition, by parent index name. */
  const indexes = async () =>
    new Map(
      (await sql<{ name: string; def: string; partitions: number }>(
        `SELECT c.relname AS name, pg_get_indexdef(c.oid) AS def,
                (SELECT count(*)::int FROM pg_inherits i WHERE i.inhparent = c.oid) AS partitions
           FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = 'notifications'::regclass`,
      )).map((r) => [r.name, r]),
    );
  const partitionCount = async () => (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'notifications'::regclass`))[0].n;
  const activityCheck = () =>
    sql<{ def: string; validated: boolean }>("SELECT pg_get_constraintdef(oid) AS def, convalidated AS validated FROM pg_constraint WHERE conname = 'ck_notifications_activity_from_seq' AND conrelid = 'notifications'::regclass");
  const readAll = async () => {
    const reader = new NotificationReader({ query: async (text: string, params?: unknown[]) => sql(text, params) } as never);
    return (await reader.after('ann', 0, 100)).map((n) => [n.seq, n.activitySeq, n.id]);
  };

  beforeAll(async () => {
    m = await migrationTest('ResumeWithoutSeqIndex1765400000000');
    // Ten rows for ann across this month's and next month's partitions and DEFAULT; seq 3 and 6 moved to 11 and 12.
    for (let seq = 1; seq <= 10; seq++) {
      await sql(
        `INSERT INTO notifications (id, user_id, seq, activity_seq, type, title, created_at)
         VALUES ($1, 'ann', $2, $3, 't', 'n', now() + $4::interval)`,
        [randomUUID(), seq, seq === 3 ? 11 : seq === 6 ? 12 : seq, seq > 8 ? '5 years' : seq > 5 ? '40 days' : '0'],
      );
    }
    await sql(`INSERT INTO user_states (user_id, last_seq, unread_count) VALUES ('ann', 12, 10)`);
  }, 60_000);
  afterAll(async () => {
    await m?.close();
  });

  const applied = async () => (await sql<{ name: string }>('SELECT name FROM migrations')).map((r) => r.name);

  it('gives up on a lock it cannot get within 10 s instead of holding traffic back behind a long transaction', async () => {
    const writer = new pg.Client({ connectionString: m.url });
    await writer.connect();
    try {
      // What an open write transaction holds; the index build's lock waits for it, and writes arriving would wait behind.
      await writer.query('BEGIN');
      await writer.query('LOCK TABLE notifications IN ROW EXCLUSIVE MODE');
      await expect(m.up()).rejects.toMatchObject({ code: '55P03' });
    } finally {
      await writer.query('ROLLBACK');
      await writer.end();
    }
    expect((await indexes()).has('ix_notifications_user_moved')).toBe(false);
  }, 30_000);

  it('stops at a row its CHECK refuses, leaving what it did, and runs to the end once the row is fixed', async () => {
    const before = await indexes();
    expect(before.get('ix_notifications_user_seq')?.partitions).toBe(await partitionCount());
    await sql("UPDATE notifications SET activity_seq = 1 WHERE user_id = 'ann' AND seq = 2");

    await expect(m.up()).rejects.toThrow(/ck_notifications_activity_from_seq/);

    // No transaction: the partial index and the unchecked CHECK stay, the old index too, and the run is not recorded.
    const partway = await indexes();
    expect(partway.has('ix_notifications_user_moved')).toBe(true);
    expect(partway.has('ix_notifications_user_seq')).toBe(true);
    expect(await activityCheck()).toEqual([{ def: 'CHECK ((activity_seq >= seq)) NOT VALID', validated: false }]);
    expect(await applied()).not.toContain('ResumeWithoutSeqIndex1765400000000');

    await sql("UPDATE notifications SET activity_seq = 2 WHERE user_id = 'ann' AND seq = 2");
    await m.up();
    expect(await applied()).toContain('ResumeWithoutSeqIndex1765400000000');
    expect([...(await indexes()).keys()].sort()).toEqual([...before.keys()].map((n) => n.replace('ix_notifications_user_seq', 'ix_notifications_user_moved')).sort());
  });

  it('drops (user_id, seq) from every partition, indexes only the moved rows, and reads the same rows in seq order', async () => {

    const after = await indexes();
    expect(after.has('ix_notifications_user_seq')).toBe(false);
    expect(after.get('ix_notifications_user_moved')).toMatchObject({ partitions: await partitionCount() });
    expect(after.get('ix_notifications_user_moved')?.def).toMatch(/\(user_id, seq\) WHERE \(activity_seq <> seq\)$/);
    expect(await readAll()).toEqual(Array.from({ length: 10 }, (_, i) => [i + 1, i === 2 ? 11 : i === 5 ? 12 : i + 1, expect.any(String)]));
    // The rule the reads stand on is the database's now: a position below the row's own seq is refused.
    expect(await activityCheck()).toEqual([{ def: 'CHECK ((activity_seq >= seq))', validated: true }]);
    await expect(sql("UPDATE notifications SET activity_seq = 1 WHERE user_id = 'ann' AND seq = 2")).rejects.toMatchObject({ code: '23514' });
  });

  it('puts (user_id, seq) back on the way down, and partitioning then brings back its unique constraint', async () => {
    await m.down();
    const restored = await indexes();
    expect(restored.get('ix_notifications_user_seq')).toMatchObject({ partitions: await partitionCount() });
    expect(restored.has('ix_notifications_user_moved')).toBe(false);
    expect(await activityCheck()).toEqual([]);
    // Down through receipts and partitioning: the comment put back above is what makes (user_id, seq) unique again.
    await m.down(2);
    const [constraint] = await sql<{ def: string }>("SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'uq_notifications_user_seq'");
    expect(constraint?.def).toBe('UNIQUE (user_id, seq)');
  });
});
