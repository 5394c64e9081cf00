import pg from 'pg';
import { DeliveryReceiptsRepository, RETENTION_LOCK_KEY } from '@herald/database';
import { RetentionService } from '../apps/api/src/retention/retention.service.js';
import { http } from './support/http-client.js';
import { startTestSystem, type TestSystem } from './support/test-system.js';

const users = (stem: string, n: number) => Array.from({ length: n }, (_, i) => `${stem}-${i}`);

describe('ops: retention', () => {
  let sys: TestSystem;
  let db: pg.Client;
  const sql = async <T = any>(text: string, params: unknown[] = []): Promise<T[]> => (await db.query(text, params)).rows as T[];
  const retention = (api = 0) => sys.apis[api].app.get(RetentionService);

  /** `rounds` notifications for each user, seq 1..rounds, through the real ingest path. */
  async function seed(recipients: string[], rounds: number): Promise<void> {
    for (let i = 1; i <= rounds; i++) expect((await sys.publish(recipients, { title: `n${i}` })).status).toBe(201);
  }
  const age = (who: string[], seqs: number[], days: number) =>
    sql('UPDATE notifications SET created_at = now() - make_interval(days => $3) WHERE user_id = ANY($1) AND seq = ANY($2)', [who, seqs, days]);
  const expire = (who: string[], seqs: number[]) =>
    sql("UPDATE notifications SET expires_at = now() - interval '1 minute' WHERE user_id = ANY($1) AND seq = ANY($2)", [who, seqs]);
  async function markRead(userId: string, seq: number): Promise<void> {
    const [row] = await sql<{ id: string }>('SELECT id FROM notifications WHERE user_id = $1 AND seq = $2', [userId, seq]);
    expect((await http(sys.apis[0].url, 'POST', `/v1/notifications/${row.id}/read`, { token: sys.userToken(userId) })).status).toBe(200);
  }
  const seqsOf = async (userId: string) =>
    (await sql<{ seq: string }>('SELECT seq FROM notifications WHERE user_id = $1 ORDER BY seq', [userId])).map((r) => Number(r.seq));
  /** Every user still has its user_states row, and its unread_count equals its unread rows. */
  async function expectExactCounts(who: string[]): Promise<void> {
    const rows = await sql<{ user_id: string; unread_count: number; actual: number }>(
      `SELECT s.user_id, s.unread_count,
              (SELECT count(*)::int FROM notifications n WHERE n.user_id = s.user_id AND n.read_at IS NULL) AS actual
         FROM user_states s WHERE s.user_id = ANY($1)`,
      [who],
    );
    expect(rows).toHaveLength(who.length);
    for (const row of rows) expect({ user: row.user_id, count: row.unread_count }).toEqual({ user: row.user_id, count: row.actual });
  }

  beforeAll(async () => {
    sys = await startTestSystem({ apis: 2, gateways: 0, env: { HERALD_RETENTION_INTERVAL_MS: '0', HERALD_RETENTION_DAYS: '30' } });
    db = new pg.Client({ connectionString: sys.db.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await sys.close();
  });

  it('deletes expired and old rows in batches, keeps unread counts exact and never restarts seq', async () => {
    const who = users('r', 12);
    await seed(who, 5);
    await age(who, [1, 2], 40);
    await age(['r-0'], [4], 29); // inside the window: kept
    await expire(who, [3]);
    for (const u of who.slice(0, 6)) await markRead(u, 1);
    for (const u of who.slice(6, 9)) await markRead(u, 3);
    // Receipts of the aged rows: the 40-day ones sit in both DEFAULT partitions (no partition is that old) and go; r-0's 29-day one stays.
    const aged = await sql<{ id: string; created_at: Date }>("SELECT id, created_at FROM notifications WHERE created_at < now() - interval '1 day'");
    const receipts = new DeliveryReceiptsRepository({ query: <T>(text: string, params?: unknown[]) => sql<T>(text, params) });
    expect(await receipts.markDelivered(aged.map((r) => ({ id: r.id, createdAt: r.created_at.toISOString() })), new Date())).toEqual([]);
    const inDefault = async () => (await sql<{ id: string }>('SELECT notification_id AS id FROM notification_receipts_default ORDER BY 1')).map((r) => r.id);
    const defaultRows = async () => (await sql<{ id: string }>('SELECT id FROM notifications_default ORDER BY 1')).map((r) => r.id);
    expect((await inDefault()).length).toBeGreaterThanOrEqual(24);
    expect(await inDefault()).toEqual(await defaultRows());

    const sut = await retention().runOnce(10);

    expect(sut).toEqual({ skipped: false, notifications: 36, idempotencyKeys: 0, topicEvents: 0, batches: 4 });
    for (const u of who) expect(await seqsOf(u)).toEqual([4, 5]);
    await expectExactCounts(who);
    const [kept] = await sql<{ id: string }>("SELECT id FROM notifications WHERE user_id = 'r-0' AND seq = 4");
    expect(await sql('SELECT 1 FROM notification_receipts WHERE notification_id = $1', [kept.id])).toHaveLength(1);
    expect(await inDefault()).toEqual(await defaultRows());
    const unread = await http(sys.apis[0].url, 'GET', '/v1/notifications/unread-count', { token: sys.userToken('r-0') });
    expect(unread.body).toEqual({ count: 2 });
    // Five notifications and one read (a change takes a position on the stream too): the next is 7, never a reused seq.
    const next = await sys.publish(['r-0']);
    expect(next.body.notifications[0].seq).toBe(7);
  });

  it('does nothing while another replica holds the cleanup lock', async () => {
    const who = ['l-ann'];
    await seed(who, 3);
    // 40 days, not 31: an old row is deleted only from the DEFAULT partition, and 31 days back from just past a
    // 31-day month's end is that month's first day, inside its partition.
    await age(who, [1, 2, 3], 40);
    const holder = new pg.Client({ connectionString: sys.db.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock($1::bigint)', [RETENTION_LOCK_KEY]);

    const skipped = await retention(1).runOnce();

    expect(skipped).toEqual({ skipped: true, notifications: 0, idempotencyKeys: 0, topicEvents: 0, batches: 0 });
    expect(await seqsOf('l-ann')).toEqual([1, 2, 3]);
    await holder.query('COMMIT');
    await holder.end();
    await expect(retention(1).runOnce()).resolves.toMatchObject({ skipped: false, notifications: 3 });
    await expectExactCounts(who);
  });

  it('deletes each row once when two replicas run at once beside ingest and inbox writes', async () => {
    const who = users('c', 20);
    await seed(who, 10);
    await age(who, [1, 2, 3, 4, 5, 6], 45);
    for (const u of who.slice(0, 5)) await markRead(u, 2);
    await http(sys.apis[0].url, 'POST', '/v1/notifications/read-all', { token: sys.userToken('c-19') });

    const [a, b] = await Promise.all([
      retention(0).runOnce(7),
      retention(1).runOnce(7),
      (async () => {
        for (let i = 0; i < 5; i++) expect((await sys.publish(who, { title: `live${i}` }, i % 2)).status).toBe(201);
      })(),
      ...who.slice(10, 14).map((u) => http(sys.apis[1].url, 'POST', '/v1/notifications/read-all', { token: sys.userToken(u) })),
    ]);

    expect(a.notifications + b.notifications).toBe(120);
    expect([a, b].some((run) => !run.skipped)).toBe(true);
    for (const u of who) {
      // Nine notifications left, and with the reads' change entries the stream from 7 on is gapless: a read
      // made while the live five went in took its position among them.
      const seqs = await seqsOf(u);
      const changes = (await sql<{ seq: string }>('SELECT seq FROM inbox_changes WHERE user_id = $1 AND seq > 6', [u])).map((r) => Number(r.seq));
      expect(seqs.slice(0, 4)).toEqual([7, 8, 9, 10]);
      expect(seqs).toHaveLength(9);
      expect([...seqs, ...changes].sort((x, y) => x - y)).toEqual(Array.from({ length: 9 + changes.length }, (_, i) => 7 + i));
    }
    await expectExactCounts(who);
  });

  it('deletes idempotency keys older than their replay window', async () => {
    const post = (key: string) => sys.publish(['k-ann'], { title: key }, 0, { 'Idempotency-Key': key });
    await post('k-old');
    await post('k-new');
    await sql("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'k-old'");

    const sut = await retention().runOnce();

    expect(sut).toMatchObject({ skipped: false, idempotencyKeys: 1 });
    expect((await sql<{ key: string }>("SELECT key FROM idempotency_keys WHERE key LIKE 'k-%'")).map((r) => r.key)).toEqual(['k-new']);
  });
});
