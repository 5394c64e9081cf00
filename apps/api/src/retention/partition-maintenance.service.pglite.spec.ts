import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { HeraldConfig } from '@herald/config';
import { AdvisoryLocks, createDataSource, Database, InboxRepository, PartitionsRepository } from '@herald/database';
import { PartitionMaintenanceService } from './partition-maintenance.service.js';

const DAY = 86_400_000;

/** Embedded mode keeps partitions too: PGlite has declarative partitioning, ATTACH and DETACH. */
describe('PartitionMaintenanceService on PGlite (embedded mode)', () => {
  let db: Database;
  let sut: PartitionMaintenanceService;
  const partitions = new PartitionsRepository();

  beforeAll(async () => {
    Logger.overrideLogger(false);
    const dataSource = createDataSource({ database: { url: undefined, poolSize: 1, dataDir: '' } }, { inMemory: true });
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    db = new Database(dataSource, true);
    const config = { retentionDays: 2, retentionIntervalMs: 0, partitions: { period: 'day', ahead: 2 } } as HeraldConfig;
    sut = new PartitionMaintenanceService(db, partitions, new InboxRepository(), new AdvisoryLocks(), config);
  }, 60_000);
  afterAll(async () => {
    await db.dataSource.destroy();
  });

  it('creates days ahead, then drops whole days past retention and keeps unread counts exact', async () => {
    const now = await partitions.clock(db);
    // The migration's months end by the first of the month after next, at most 62 days away.
    const first = await sut.runOnce(new Date(now.getTime() + 70 * DAY));
    expect(first.created).toHaveLength(3);
    await db.query("INSERT INTO user_states (user_id, last_seq, unread_count, inbox_count, unseen_count) VALUES ('ann', 3, 2, 3, 3)");
    const rows: [number, number, boolean][] = [[1, 70, false], [2, 70, true], [3, 72, false]]; // seq, days from now, read
    for (const [seq, days, read] of rows) {
      await db.query(
        `INSERT INTO notifications (id, user_id, seq, activity_seq, type, title, created_at, read_at)
         VALUES ($1, 'ann', $2, $2, 't', 'n', $3::timestamptz, ${read ? 'now()' : 'NULL'})`,
        // From the test's one clock reading, not now(): past midnight UTC, now() would put the rows a day later.
        [randomUUID(), seq, new Date(now.getTime() + days * DAY).toISOString()],
      );
    }

    const later = await sut.runOnce(new Date(now.getTime() + 73 * DAY), 1);

    expect(later.dropped.length).toBeGreaterThanOrEqual(1);
    expect(later.rows).toBe(2);
    const left = await db.query<{ seq: string }>('SELECT seq FROM notifications');
    expect(left.map((r) => Number(r.seq))).toEqual([3]);
    const [state] = await db.query<{ unread_count: number; inbox_count: number; unseen_count: number; last_seq: string }>(
      "SELECT unread_count, inbox_count, unseen_count, last_seq FROM user_states WHERE user_id = 'ann'",
    );
    expect({ unread: state.unread_count, inbox: state.inbox_count, unseen: state.unseen_count, lastSeq: Number(state.last_seq) })
      .toEqual({ unread: 1, inbox: 1, unseen: 1, lastSeq: 3 });
    expect(await partitions.retired(db)).toEqual([]);
  });

  it('stops between settle batches when the api shuts down, and the next run finishes the partition', async () => {
    const now = await partitions.clock(db);
    const at = (days: number) => new Date(now.getTime() + days * DAY);
    await sut.runOnce(at(90)); // everything the test above left is past retention by then
    await sut.runOnce(at(100));
    for (const user of ['s-1', 's-2', 's-3']) {
      await db.query(`INSERT INTO user_states (user_id, last_seq, unread_count, inbox_count, unseen_count) VALUES ($1, 1, 1, 1, 1)`, [user]);
      await db.query(
        `INSERT INTO notifications (id, user_id, seq, activity_seq, type, title, created_at) VALUES ($1, $2, 1, 1, 't', 'n', $3::timestamptz)`,
        [randomUUID(), user, at(100).toISOString()],
      );
    }
    const [{ partition }] = await db.query<{ partition: string }>("SELECT tableoid::regclass::text AS partition FROM notifications WHERE user_id = 's-1'");
    const retiredName = partition.replace(/^notifications_/, 'notifications_retired_');
    // An inbox whose first batch of users shuts the service down, as a SIGTERM in the middle of a long settle would.
    const inbox = new InboxRepository();
    const config = { retentionDays: 2, retentionIntervalMs: 0, partitions: { period: 'day', ahead: 2 } } as HeraldConfig;
    const stopping = new PartitionMaintenanceService(db, partitions, inbox, new AdvisoryLocks(), config);
    const subtract = inbox.subtractCounters.bind(inbox);
    let shutdown: Promise<void> | undefined;
    let batches = 0;
    jest.spyOn(inbox, 'subtractCounters').mockImplementation(async (tx, gone) => {
      if (gone.size > 0) {
        batches++;
        shutdown ??= stopping.onApplicationShutdown();
      }
      return subtract(tx, gone);
    });

    const cut = await stopping.runOnce(at(103), 1);
    await shutdown;

    expect(batches).toBe(1);
    expect(cut.dropped).not.toContain(retiredName);
    expect(await partitions.retired(db)).toContain(retiredName);
    const rest = await sut.runOnce(at(103), 1);
    expect(rest.dropped).toContain(retiredName);
    expect(rest.rows).toBe(2);
    expect(await partitions.retired(db)).toEqual([]);
    const states = await db.query<{ unread_count: number }>("SELECT unread_count FROM user_states WHERE user_id LIKE 's-%'");
    expect(states.map((r) => r.unread_count)).toEqual([0, 0, 0]);
  });
});
