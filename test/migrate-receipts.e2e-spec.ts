import { randomUUID } from 'node:crypto';
import { migrationTest, type MigrationTest } from './support/migration-test.js';

/** deliveredAt moved from a column of notifications into notification_receipts, with the values it held, and back. */
describe('migration: delivery receipts in a table of their own', () => {
  let m: MigrationTest;
  const sql = <T = any>(text: string, params: unknown[] = []): Promise<T[]> => m.sql<T>(text, params);
  /** id → deliveredAt as the API reads it: the column before, the receipt after. */
  let delivered: Map<string, string | null>;

  beforeAll(async () => {
    m = await migrationTest('NotificationReceipts1765200000000');
    // Rows with microseconds in created_at, in this month's or next month's partition (both exist from the migration,
    // whatever the day) and in DEFAULT (five years on), half delivered.
    for (let i = 0; i < 10; i++) {
      await sql(
        `INSERT INTO notifications (id, user_id, seq, activity_seq, type, title, created_at, delivered_at)
         VALUES ($1, 'ann', $2, $2, 't', 'n', now() + make_interval(secs => $3) + $4::interval, $5)`,
        [randomUUID(), i + 1, i * 1.000123, i >= 8 ? '5 years' : '0', i % 2 === 0 ? new Date(Date.now() - i * 60_000) : null],
      );
    }
    const rows = await sql<{ id: string; delivered_at: Date | null }>('SELECT id, delivered_at FROM notifications');
    delivered = new Map(rows.map((r) => [r.id, r.delivered_at?.toISOString() ?? null]));
  }, 60_000);
  afterAll(async () => {
    await m?.close();
  });

  it('copies every deliveredAt into a receipt in the partition beside its notification', async () => {
    await m.up();

    const receipts = await sql<{ id: string; delivered_at: Date; partition: string }>(
      `SELECT r.notification_id AS id, r.delivered_at, r.tableoid::regclass::text AS partition FROM notification_receipts r ORDER BY 1`,
    );
    expect(new Map(receipts.map((r) => [r.id, r.delivered_at.toISOString()]))).toEqual(new Map([...delivered].filter(([, at]) => at !== null)));
    const partitionsOf = async (table: string) =>
      (await sql<{ name: string }>(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '${table}'::regclass ORDER BY 1`))
        .map((p) => p.name.replace(/^(notification_receipts|notifications)_/, ''));
    expect(await partitionsOf('notification_receipts')).toEqual(await partitionsOf('notifications'));
    expect(receipts.filter((r) => r.partition === 'notification_receipts_default')).toHaveLength(1); // the ninth row, delivered and five years on
    // What every read selects finds each receipt from the notification's own created_at (microseconds and all), with the
    // old column emptied; and where the previous release's gateway wrote the column first (a rolling upgrade), that wins.
    const { notificationColumnsOf } = await import('../libs/database/src/notification-row.js');
    const read = async () =>
      new Map((await sql<{ id: string; delivered_at: Date | null }>(`SELECT ${notificationColumnsOf('n')} FROM notifications n`)).map((r) => [r.id, r.delivered_at?.toISOString() ?? null]));
    await sql('BEGIN');
    try {
      await sql('UPDATE notifications SET delivered_at = NULL');
      expect(await read()).toEqual(delivered);
      const [first, second] = [...delivered].filter(([, at]) => at !== null).map(([id]) => id);
      const [earlier, later] = ['2020-01-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z'];
      await sql('UPDATE notifications SET delivered_at = $2 WHERE id = $1', [first, earlier]);
      await sql('UPDATE notifications SET delivered_at = $2 WHERE id = $1', [second, later]);
      expect(await read()).toEqual(new Map([...delivered, [first, earlier]]));
    } finally {
      await sql('ROLLBACK');
    }
    expect(await read()).toEqual(delivered);
  });

  it('puts receipts written since back into the column on the way down', async () => {
    const [later] = await sql<{ id: string; created_at: Date }>('SELECT id, created_at FROM notifications WHERE delivered_at IS NULL ORDER BY id LIMIT 1');
    const at = new Date('2026-11-30T09:00:00.000Z');
    await sql('INSERT INTO notification_receipts (notification_id, created_at, delivered_at) VALUES ($1, $2, $3)', [later.id, later.created_at.toISOString(), at]);
    delivered.set(later.id, at.toISOString());
    await m.down();

    const rows = await sql<{ id: string; delivered_at: Date | null }>('SELECT id, delivered_at FROM notifications');
    expect(new Map(rows.map((r) => [r.id, r.delivered_at?.toISOString() ?? null]))).toEqual(delivered);
    expect(await sql("SELECT 1 FROM pg_class WHERE relname = 'notification_receipts'")).toEqual([]);
  });
});
