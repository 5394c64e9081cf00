import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { HeraldConfig } from '@herald/config';
import { AdvisoryLocks, createDataSource, Database, IdempotencyKeysRepository, InboxRepository, TopicRepository } from '@herald/database';
import { RetentionService } from './retention.service.js';

/** Embedded mode runs the same cleanup on PGlite: advisory locks and the batch SQL must work there too. */
describe('RetentionService on PGlite (embedded mode)', () => {
  let db: Database;
  let sut: RetentionService;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    const dataSource = createDataSource({ database: { url: undefined, poolSize: 1, dataDir: '' } }, { inMemory: true });
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    db = new Database(dataSource, true);
    const topics = { historySize: 1000, historyTtlSeconds: 86400, namespaces: {} };
    const config = { retentionDays: 30, idempotencyTtlHours: 24, retentionIntervalMs: 0, topics } as HeraldConfig;
    sut = new RetentionService(db, new InboxRepository(), new IdempotencyKeysRepository(db), new TopicRepository(), new AdvisoryLocks(), config);
  }, 60_000);
  afterAll(async () => {
    await db.dataSource.destroy();
  });

  it('deletes old, expired and stale rows in batches and keeps the unread count exact', async () => {
    await db.query("INSERT INTO user_states (user_id, last_seq, unread_count) VALUES ('ann', 4, 3)");
    const rows: [number, string, string | null, string | null][] = [
      [1, "now() - interval '40 days'", null, null], // old, unread
      [2, "now() - interval '40 days'", 'now()', null], // old, read
      [3, 'now()', null, "now() - interval '1 second'"], // expired, unread
      [4, 'now()', null, null], // kept, unread
    ];
    for (const [seq, createdAt, readAt, expiresAt] of rows) {
      await db.query(
        `INSERT INTO notifications (id, user_id, seq, activity_seq, type, title, created_at, read_at, expires_at)
         VALUES ($1, 'ann', $2, $2, 't', 'n', ${createdAt}, ${readAt ?? 'NULL'}, ${expiresAt ?? 'NULL'})`,
        [randomUUID(), seq],
      );
    }
    await db.query("INSERT INTO idempotency_keys (principal, key, request_hash, created_at) VALUES ('svc', 'old', $1, now() - interval '2 days')", ['0'.repeat(64)]);

    const run = await sut.runOnce(2);

    expect(run).toEqual({ skipped: false, notifications: 3, idempotencyKeys: 1, topicEvents: 0, batches: 3 });
    const [state] = await db.query<{ last_seq: string; unread_count: number }>("SELECT last_seq, unread_count FROM user_states WHERE user_id = 'ann'");
    expect({ lastSeq: Number(state.last_seq), unread: state.unread_count }).toEqual({ lastSeq: 4, unread: 1 });
    const left = await db.query<{ seq: string }>('SELECT seq FROM notifications');
    expect(left.map((r) => Number(r.seq))).toEqual([4]);
  });
});
