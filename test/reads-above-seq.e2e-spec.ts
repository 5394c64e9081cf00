import { InboxChangeKind, ServerFrameType } from '@herald/contracts';
import { createDataSource, Database, InboxAppender, InboxChangesRepository, NotificationReader, SnoozeWakerRepository, type StateChange, type StreamEntry } from '@herald/database';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * Reads above a seq (resume, gap fill, polling) come from two indexes since
 * (user_id, seq) was dropped: rows never moved by activity_seq, and the
 * moved ones (grouped into, woken from a snooze). Every cursor of a history
 * with both kinds, expired rows and change entries, against what the rows
 * themselves say (real Postgres).
 */
describe('reads above a seq with moved rows (real Postgres)', () => {
  const USER = 'ann';
  const GROUP_WINDOW_S = 3600;
  let testDb: TestDatabase;
  let db: Database;
  let reader: NotificationReader;
  const appender = new InboxAppender();
  const changes = new InboxChangesRepository();
  const waker = new SnoozeWakerRepository();
  let lastSeq: number;
  /** An entry's place in the stream: a notification's seq, or a change entry's. */
  const seqOf = (e: StreamEntry) => (e.type === ServerFrameType.Notification ? e.notification.seq : e.seq);

  const post = (title: string, groupKey?: string) => db.transaction((tx) => appender.append(tx, [{ notification: { type: 't', title, groupKey }, recipients: [USER] }], GROUP_WINDOW_S));
  const apply = (change: StateChange) => db.transaction(async (tx) => (await changes.lockUser(tx, USER)) && changes.apply(tx, USER, change));

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const dataSource = createDataSource({ database: { url: testDb.url, poolSize: 2, dataDir: '' } });
    await dataSource.initialize();
    db = new Database(dataSource, false);
    reader = new NotificationReader(db);
    // A history where positions move: plain rows, a group posted into three times (its entry moves up each time), a
    // read (a change entry), two snoozes woken later (moved up again), and expired rows, moved and not.
    const [first] = await post('p1');
    await post('g1', 'thread');
    await post('p2');
    await post('g2', 'thread');
    const [third] = await post('p3');
    await apply({ kind: InboxChangeKind.Read, ids: [first.created[0].id] });
    const past = new Date(Date.now() - 1000).toISOString();
    await apply({ kind: InboxChangeKind.Snoozed, ids: [first.created[0].id], snoozedUntil: past });
    await apply({ kind: InboxChangeKind.Snoozed, ids: [third.created[0].id], snoozedUntil: past });
    for (let i = 4; i <= 7; i++) await post(`p${i}`);
    await post('g3', 'thread');
    await db.transaction((tx) => waker.wakeDue(tx, 10));
    await post('p8');
    // Expired: p3 (moved by its wake) and p5 (never moved).
    await db.query(`UPDATE notifications SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND title IN ('p3', 'p5')`, [USER]);
    lastSeq = (await reader.userState(USER)).lastSeq;
  }, 60_000);
  afterAll(async () => {
    await db?.dataSource.destroy();
    await testDb.drop();
  });

  /** What the rows say, read with no index in mind: live notifications and change entries above `after`, by seq. */
  async function truth(after: number, limit: number, below?: number) {
    const rows = await db.query<{ id: string; seq: string; activity_seq: string; live: boolean; title: string }>(
      `SELECT id, seq, activity_seq, title, (expires_at IS NULL OR expires_at > now()) AS live FROM notifications WHERE user_id = $1`,
      [USER],
    );
    const inRange = (seq: number) => seq > after && (below === undefined || seq < below);
    const notes = rows.filter((r) => r.live && inRange(Number(r.seq))).map((r) => ({ id: r.id, seq: Number(r.seq) })).sort((a, b) => a.seq - b.seq);
    const changeSeqs = (await db.query<{ seq: string }>('SELECT seq FROM inbox_changes WHERE user_id = $1', [USER])).map((c) => Number(c.seq)).filter(inRange);
    const entries = [...notes.map((n) => n.seq), ...changeSeqs].sort((a, b) => a - b).slice(0, limit);
    const moved = rows.filter((r) => r.seq !== r.activity_seq);
    return { notes: notes.slice(0, limit).map((n) => `${n.seq}:${n.id}`), entries, moved: moved.length, expiredMoved: moved.filter((r) => !r.live).length };
  }

  it('has moved rows to read around (the test would prove nothing without them)', async () => {
    expect(await truth(0, 100)).toMatchObject({ moved: 3, expiredMoved: 1 });
    expect(lastSeq).toBeGreaterThan(15);
  });

  it('answers every cursor and limit as the rows say, in one read and in the many-users reads', async () => {
    for (let after = 0; after <= lastSeq; after++) {
      for (const limit of [1, 2, 5, 100]) {
        for (const below of [undefined, after + 4]) {
          const want = await truth(after, limit, below);
          const label = `after ${after}, limit ${limit}, below ${below}`;
          expect([label, (await reader.after(USER, after, limit, below)).map((n) => `${n.seq}:${n.id}`)]).toEqual([label, want.notes]);
          expect([label, (await reader.entriesAfter(USER, after, limit, below)).map(seqOf)]).toEqual([label, want.entries]);
          if (below !== undefined) continue;
          const cursors = new Map([[USER, after], ['nobody', 0]]);
          expect([label, (await reader.afterForUsers(cursors, limit)).map((n) => `${n.seq}:${n.id}`)]).toEqual([label, want.notes]);
          expect([label, ((await reader.entriesAfterForUsers(cursors, limit)).get(USER) ?? []).map(seqOf)]).toEqual([label, want.entries]);
        }
      }
    }
  });
});
