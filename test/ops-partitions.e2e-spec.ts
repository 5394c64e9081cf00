import { jest } from '@jest/globals';
import pg from 'pg';
import { DeliveryReceiptsRepository, PartitionsRepository } from '@herald/database';
import { PartitionMaintenanceService } from '../apps/api/src/retention/partition-maintenance.service.js';
import { http } from './support/http-client.js';
import { startTestSystem, type TestSystem } from './support/test-system.js';

const DAY = 86_400_000;

/**
 * The partitioning migration makes this month's and next month's partitions (empty on a new database), whatever
 * HERALD_PARTITION_PERIOD says; this suite is about day partitions, so it drops them and the api's boot makes today's
 * and the next two days'. Otherwise what retention drops would depend on the day of the month the suite runs.
 */
async function dropMigrationMonths(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const months = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent IN ('notifications'::regclass, 'notification_receipts'::regclass) AND c.relname !~ '_default$'`,
    );
    for (const { name } of months.rows) await client.query(`DROP TABLE ${name}`);
  } finally {
    await client.end();
  }
}

/** Time partitions on real Postgres, kept by two api replicas at once beside ingest and inbox writes. */
describe('ops: notifications partitions', () => {
  let sys: TestSystem;
  let db: pg.Client;
  const sql = async <T = any>(text: string, params: unknown[] = []): Promise<T[]> => (await db.query(text, params)).rows as T[];
  const maintenance = (api: number) => sys.apis[api].app.get(PartitionMaintenanceService);
  const repo = new PartitionsRepository();
  /** The seq of d-0's notification written after its partition was dropped (it went to DEFAULT). */
  let dZeroSeq = 0;
  /** The UTC day the apps booted on, or the day before (read just before they boot): what boot made partitions from. */
  let bootDay = 0;
  const exec = { query: <T>(text: string, params?: unknown[]) => sql<T>(text, params) };
  const receipts = new DeliveryReceiptsRepository(exec);
  /** A receipt for each of `who`'s notifications, as a gateway writes it; answers their ids. */
  async function deliver(who: string[]): Promise<string[]> {
    const rows = await sql<{ id: string; created_at: Date }>('SELECT id, created_at FROM notifications WHERE user_id = ANY($1)', [who]);
    expect(await receipts.markDelivered(rows.map((r) => ({ id: r.id, createdAt: r.created_at.toISOString() })), new Date())).toEqual([]);
    return rows.map((r) => r.id);
  }
  /** The receipts table has a partition beside each of notifications', same bounds, same name suffix, and nothing else. */
  async function expectReceiptsBeside(): Promise<void> {
    const suffixes = async (table: string) =>
      (await sql<{ name: string }>(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '${table}'::regclass ORDER BY 1`))
        .map((p) => p.name.replace(/^(notification_receipts|notifications)_/, ''));
    expect(await suffixes('notification_receipts')).toEqual(await suffixes('notifications'));
  }
  /** Every counter of user_states equals its rows: unread, and the whole inbox (neither archived nor snoozed). */
  async function expectExactCounts(who: string[]): Promise<void> {
    const rows = await sql<{ user_id: string; unread_count: number; inbox_count: number; unread: number; inbox: number }>(
      `SELECT s.user_id, s.unread_count, s.inbox_count,
              (SELECT count(*)::int FROM notifications n WHERE n.user_id = s.user_id AND n.read_at IS NULL) AS unread,
              (SELECT count(*)::int FROM notifications n WHERE n.user_id = s.user_id AND n.archived_at IS NULL AND n.snoozed_until IS NULL) AS inbox
         FROM user_states s WHERE s.user_id = ANY($1)`,
      [who],
    );
    expect(rows).toHaveLength(who.length);
    for (const row of rows) {
      expect({ user: row.user_id, unread: row.unread_count, inbox: row.inbox_count }).toEqual({ user: row.user_id, unread: row.unread, inbox: row.inbox });
    }
  }

  beforeAll(async () => {
    bootDay = Math.floor(Date.now() / DAY) * DAY;
    sys = await startTestSystem({
      apis: 2, gateways: 0,
      env: { HERALD_RETENTION_INTERVAL_MS: '0', HERALD_RETENTION_DAYS: '1', HERALD_PARTITION_PERIOD: 'day', HERALD_PARTITIONS_AHEAD: '2' },
      prepareDatabase: dropMigrationMonths,
    });
    db = new pg.Client({ connectionString: sys.db.url });
    await db.connect();
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await db?.end();
    await sys.close();
  });

  it('has the partitions ahead at boot, and new rows land in them, not in DEFAULT', async () => {
    expect((await sys.publish(['p-ann'])).status).toBe(201);

    const [{ partition }] = await sql<{ partition: string }>("SELECT tableoid::regclass::text AS partition FROM notifications WHERE user_id = 'p-ann'");
    expect(partition).not.toBe('notifications_default');
    const now = await repo.clock(exec);
    const covered = (await repo.list(exec)).filter((p) => p.to > now);
    // Today's and the next two days': counted from the day boot ran on, not from now, which may be past midnight since.
    expect(covered[covered.length - 1].to.getTime()).toBeGreaterThanOrEqual(bootDay + 3 * DAY);
    await expectReceiptsBeside();
  });

  it('drops whole partitions past retention once, from two replicas at once, with exact counts and seq going on', async () => {
    const who = Array.from({ length: 30 }, (_, i) => `d-${i}`);
    for (let i = 0; i < 4; i++) expect((await sys.publish(who, { title: `n${i}` }, i % 2)).status).toBe(201);
    for (const u of who.slice(0, 10)) {
      const [row] = await sql<{ id: string }>('SELECT id FROM notifications WHERE user_id = $1 AND seq = 2', [u]);
      expect((await http(sys.apis[0].url, 'POST', `/v1/notifications/${row.id}/read`, { token: sys.userToken(u) })).status).toBe(200);
    }
    // A partition of today's rows is past retention three days from now.
    const future = new Date((await repo.clock(exec)).getTime() + 3 * DAY);
    await sql("INSERT INTO notifications (id, user_id, seq, activity_seq, type, title, created_at) VALUES (gen_random_uuid(), 'd-keep', 1, 1, 't', 'future', now() + interval '2 days 12 hours')");
    await sql("INSERT INTO user_states (user_id, last_seq, unread_count, inbox_count, unseen_count) VALUES ('d-keep', 1, 1, 1, 1)");
    const deliveredGone = await deliver(who);
    const [kept] = await deliver(['d-keep']);

    const [a, b] = await Promise.all([
      maintenance(0).runOnce(future, 7),
      maintenance(1).runOnce(future, 7),
      ...who.slice(20, 25).map((u) => http(sys.apis[1].url, 'POST', '/v1/notifications/read-all', { token: sys.userToken(u) })),
    ]);

    const dropped = [...a.dropped, ...b.dropped];
    expect(new Set(dropped).size).toBe(dropped.length);
    expect(a.rows + b.rows).toBeGreaterThanOrEqual(120);
    expect(await repo.retired(exec)).toEqual([]);
    expect(await sql("SELECT 1 FROM notifications WHERE user_id LIKE 'd-%' AND user_id <> 'd-keep'")).toEqual([]);
    await expectExactCounts([...who, 'd-keep']);
    // Their receipts went with their partitions, not one by one; the kept row's stayed.
    await expectReceiptsBeside();
    expect(await sql('SELECT 1 FROM notification_receipts WHERE notification_id = ANY($1)', [deliveredGone])).toEqual([]);
    expect(await sql('SELECT 1 FROM notification_receipts WHERE notification_id = $1', [kept])).toHaveLength(1);
    // seq goes on from user_states, which dropping rows never touches (d-0's read took a seq of its own).
    const [{ last_seq: lastSeq }] = await sql<{ last_seq: string }>("SELECT last_seq FROM user_states WHERE user_id = 'd-0'");
    const next = await sys.publish(['d-0']);
    expect(next.body.notifications[0].seq).toBe(Number(lastSeq) + 1);
    dZeroSeq = Number(lastSeq) + 1;
  });

  it('moves DEFAULT rows into a partition made late, and finishes a partition a stopped run had detached', async () => {
    // The run above, three days ahead, dropped today's partition: d-0's newest row went to DEFAULT.
    const [late] = await deliver(['d-0']);
    expect(await sql('SELECT 1 FROM notification_receipts_default WHERE notification_id = $1', [late])).toHaveLength(1);
    // At the row's own time: past midnight since, a run at now would make the days from tomorrow on and leave it in DEFAULT.
    const [{ created_at: lateAt }] = await sql<{ created_at: Date }>('SELECT created_at FROM notifications_default WHERE id = $1', [late]);
    const remade = await maintenance(0).runOnce(lateAt);
    expect(remade.created.length).toBeGreaterThanOrEqual(1);
    expect(await sql('SELECT 1 FROM notifications_default')).toEqual([]);
    // Its receipt moved beside it, and the API still reads it.
    expect(await sql('SELECT 1 FROM notification_receipts_default')).toEqual([]);
    const read = await http(sys.apis[0].url, 'GET', `/v1/notifications/${late}`, { token: sys.serviceToken() });
    expect(read.body.deliveredAt).toEqual(expect.any(String));
    expect((await sql("SELECT seq FROM notifications WHERE user_id = 'd-0'")).map((r) => Number(r.seq))).toEqual([dZeroSeq]);
    expect((await sys.publish(['s-ann', 's-bob'])).status).toBe(201);
    const now = await repo.clock(exec);
    const [current] = (await repo.list(exec)).filter((p) => p.from <= now && p.to > now);
    await sql('BEGIN');
    await repo.detach(exec, current.name);
    await sql('COMMIT');

    const run = await maintenance(0).runOnce(now);

    expect(run.dropped).toHaveLength(1);
    expect(run.created).toContain(current.name);
    expect(await repo.retired(exec)).toEqual([]);
    await expectExactCounts(['s-ann', 's-bob', 'd-0']);
    await expectReceiptsBeside();
  });

  it('mends what an older release left during a rolling upgrade: a partition without receipts, receipts without a partition', async () => {
    // A partition made with no receipts beside it, and the receipts of a partition retired without them.
    // The orphan's range lies far past every partition this test makes (days ahead), so it never has a notifications partition.
    const orphan = 'notification_receipts_21000101_21000201';
    await sql(`CREATE TABLE ${orphan} PARTITION OF notification_receipts FOR VALUES FROM ('2100-01-01') TO ('2100-02-01')`);
    expect((await sys.publish(['u-upgrade'])).status).toBe(201);
    const [{ partition }] = await sql<{ partition: string }>("SELECT tableoid::regclass::text AS partition FROM notifications WHERE user_id = 'u-upgrade'");
    const bare = partition.replace(/^notifications_/, 'notification_receipts_');
    await sql(`ALTER TABLE notification_receipts DETACH PARTITION ${bare}`);
    await sql(`DROP TABLE ${bare}`);
    const [late] = await deliver(['u-upgrade']);
    expect(await sql('SELECT 1 FROM notification_receipts_default WHERE notification_id = $1', [late])).toHaveLength(1);

    const run = await maintenance(1).runOnce();

    expect(run.mended).toEqual([bare, orphan]);
    await expectReceiptsBeside();
    expect(await sql('SELECT 1 FROM notification_receipts_default')).toEqual([]);
    const read = await http(sys.apis[0].url, 'GET', `/v1/notifications/${late}`, { token: sys.serviceToken() });
    expect(read.body.deliveredAt).toEqual(expect.any(String));
  });

  it('serves before a partition past retention is settled: boot makes partitions, retiring goes on after it', async () => {
    expect((await sys.publish(['b-boot'])).status).toBe(201);
    const now = await repo.clock(exec);
    const [current] = (await repo.list(exec)).filter((p) => p.from <= now && p.to > now);
    await sql('BEGIN');
    await repo.detach(exec, current.name);
    await sql('COMMIT');
    // Settling takes b-boot's row off its counters: a lock on that row holds retirement as a partition of millions of rows would.
    const locker = new pg.Client({ connectionString: sys.db.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query("SELECT 1 FROM user_states WHERE user_id = 'b-boot' FOR UPDATE");

      // Boot reads the clock itself; held at the test's now, it remakes `current` even past midnight.
      jest.spyOn(sys.apis[0].app.get(PartitionsRepository), 'clock').mockResolvedValue(now);
      // Before, boot waited for the settle: it would still be waiting here.
      const boot = maintenance(0).onApplicationBootstrap().then(() => 'booted');
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise((resolve) => (timer = setTimeout(() => resolve('still booting'), 10_000)));
      expect(await Promise.race([boot, waited]).finally(() => clearTimeout(timer))).toBe('booted');

      expect(await repo.retired(exec)).toEqual([current.name.replace(/^notifications_/, 'notifications_retired_')]);
      expect((await repo.list(exec)).some((p) => p.from <= now && p.to > now)).toBe(true);
      expect((await sys.publish(['b-other'])).status).toBe(201);
      await locker.query('ROLLBACK');
    } finally {
      await locker.end();
    }
    for (const end = Date.now() + 10_000; (await repo.retired(exec)).length > 0 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
    expect(await repo.retired(exec)).toEqual([]);
    await expectExactCounts(['b-boot', 'b-other']);
    await expectReceiptsBeside();
  });
});
