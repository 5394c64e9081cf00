import { createDataSource } from '../data-source.js';
import { Database } from '../database.js';
import { InboxChangeKind } from '@herald/contracts';
import { DeliveryReceiptsRepository } from './delivery-receipts.repository.js';
import { InboxAppender } from './inbox-appender.js';
import { InboxChangesRepository, type StateChange } from './inbox-changes.repository.js';
import { InboxRepository } from './inbox.repository.js';
import { NotificationReader } from './notification-reader.js';
import { SnoozeWakerRepository } from './snooze-waker.repository.js';

/** The inbox aggregate's rules, on the embedded PGlite the repository also runs on. */
describe('InboxRepository on PGlite', () => {
  let db: Database;
  let reader: NotificationReader;
  const sut = new InboxRepository();
  const changes = new InboxChangesRepository();
  const appender = new InboxAppender();
  const waker = new SnoozeWakerRepository();
  let receipts: DeliveryReceiptsRepository;
  const note = (title: string) => ({ type: 't', title });

  beforeAll(async () => {
    const dataSource = createDataSource({ database: { url: undefined, poolSize: 1, dataDir: '' } }, { inMemory: true });
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    db = new Database(dataSource, true);
    reader = new NotificationReader(db);
    receipts = new DeliveryReceiptsRepository(db);
  }, 60_000);
  afterAll(async () => {
    await db.dataSource.destroy();
  });

  it('appends gapless per-user seqs in request order and counts every new row unread', async () => {
    const rows = await sut.append(db, [
      { notification: note('a'), recipients: ['ann', 'bob'] },
      { notification: note('b'), recipients: ['ann'] },
    ]);
    const more = await sut.append(db, [{ notification: note('c'), recipients: ['bob', 'ann'] }]);

    expect(rows.map((r) => r.map((n) => [n.userId, n.seq]))).toEqual([[['ann', 1], ['bob', 1]], [['ann', 2]]]);
    expect(more[0].map((n) => [n.userId, n.seq])).toEqual([['bob', 2], ['ann', 3]]);
    expect((await reader.after('ann', 0, 10)).map((n) => n.title)).toEqual(['a', 'b', 'c']);
    expect(await reader.userState('ann')).toMatchObject({ lastSeq: 3, unreadCount: 3, counts: { inbox: 3, unread: 3, unseen: 3 } });
  });

  it('moves the counters with each change, takes a position only when something changed, and only for the owner', async () => {
    const [[first], [second]] = await sut.append(db, [
      { notification: note('x'), recipients: ['cy'] },
      { notification: note('y'), recipients: ['cy'] },
    ]);
    const apply = (user: string, change: StateChange) =>
      db.transaction(async (tx) => ((await changes.lockUser(tx, user)) ? changes.apply(tx, user, change) : undefined));

    const read = await apply('cy', { kind: InboxChangeKind.Read, ids: [first.id] });
    const again = await apply('cy', { kind: InboxChangeKind.Read, ids: [first.id] });
    const foreign = await apply('dan', { kind: InboxChangeKind.Unread, ids: [first.id] });
    const archived = await apply('cy', { kind: InboxChangeKind.Archived, ids: [second.id] });
    const removed = await apply('cy', { kind: InboxChangeKind.Deleted, ids: [second.id] });

    expect(read?.frame).toMatchObject({ seq: 3, change: 'read', ids: [first.id], counts: { inbox: 2, unread: 1, unseen: 1 } });
    expect(again).toMatchObject({ changed: 0 });
    expect(again?.frame).toBeUndefined();
    expect(foreign).toBeUndefined();
    expect(archived?.frame).toMatchObject({ seq: 4, counts: { inbox: 1, unread: 0, unseen: 0, archived: 1 } });
    expect(removed?.frame).toMatchObject({ seq: 5, counts: { inbox: 1, unread: 0, unseen: 0, archived: 0 } });
    expect(await reader.userState('cy')).toEqual({ lastSeq: 5, unreadCount: 0, counts: { inbox: 1, unread: 0, unseen: 0, archived: 0, snoozed: 0 } });
    const entries = await reader.entriesAfter('cy', 0, 10);
    expect(entries.map((e) => (e.type === 'notification' ? `n${e.notification.seq}` : `${e.change}${e.seq}`))).toEqual(['n1', 'read3', 'archived4', 'deleted5']);
  });

  it('groups a POST into the open entry with the same key: count, actors, newest text, moved to the top', async () => {
    const grouped = (title: string, actor: string) => ({ notification: { ...note(title), groupKey: 'c:1', actor }, recipients: ['eve'] });
    const first = await db.transaction((tx) => appender.append(tx, [grouped('Ana commented', 'Ana')], 3600));
    await sut.append(db, [{ notification: note('other'), recipients: ['eve'] }]);
    const batch = await db.transaction((tx) => appender.append(tx, [grouped('Bo commented', 'Bo'), grouped('Ana again', 'Ana')], 3600));

    expect(first[0].created).toHaveLength(1);
    expect(batch.flatMap((r) => r.created)).toEqual([]);
    const last = batch[1].grouped[0];
    expect(last.notification).toMatchObject({ id: first[0].created[0].id, title: 'Ana again', activitySeq: 4, group: { count: 3, actors: ['Ana', 'Bo'] } });
    expect(last.frame).toMatchObject({ seq: 4, change: 'grouped', counts: { inbox: 2, unread: 2, unseen: 2 } });
    const [top] = await reader.list('eve', { limit: 1 });
    expect(top.id).toBe(first[0].created[0].id);
    // Reads above a seq still find the moved entry at its own seq (it is read from the moved rows' index).
    expect((await reader.after('eve', 0, 10)).map((n) => [n.seq, n.activitySeq])).toEqual([[1, 4], [2, 2]]);
    expect((await reader.after('eve', 1, 10)).map((n) => n.seq)).toEqual([2]);
  });

  it('wakes due snoozes as new, each with its own position and the counts at it', async () => {
    const [[a], [b]] = await sut.append(db, [{ notification: note('a'), recipients: ['fay'] }, { notification: note('b'), recipients: ['fay'] }]);
    const past = new Date(Date.now() - 1000).toISOString();
    const snooze = (id: string) => db.transaction(async (tx) => {
      await changes.lockUser(tx, 'fay');
      return changes.apply(tx, 'fay', { kind: InboxChangeKind.Snoozed, ids: [id], snoozedUntil: past });
    });
    await snooze(a.id);
    await snooze(b.id);
    expect((await reader.userState('fay')).counts).toEqual({ inbox: 0, unread: 0, unseen: 0, archived: 0, snoozed: 2 });

    const { woken } = await db.transaction((tx) => waker.wakeDue(tx, 10));

    expect(woken.map((w) => [w.frame.seq, w.frame.counts.snoozed, w.frame.counts.unread])).toEqual([[5, 1, 1], [6, 0, 2]]);
    expect((await reader.userState('fay')).counts).toEqual({ inbox: 2, unread: 2, unseen: 2, archived: 0, snoozed: 0 });
  });

  it('filters lists by state, category and tags, and marks deliveries once', async () => {
    await sut.append(db, [
      { notification: { ...note('p'), category: 'social', tags: ['a', 'b'] }, recipients: ['gus'] },
      { notification: { ...note('q'), category: 'billing', tags: ['b'] }, recipients: ['gus'] },
    ]);
    expect((await reader.list('gus', { limit: 10, filter: { category: 'social' } })).map((n) => n.title)).toEqual(['p']);
    expect((await reader.list('gus', { limit: 10, filter: { tags: ['a', 'b'], tagsMatch: 'all' } })).map((n) => n.title)).toEqual(['p']);
    expect((await reader.list('gus', { limit: 10, filter: { tags: ['b'] } })).map((n) => n.title)).toEqual(['q', 'p']);
    expect(await reader.count('gus', { state: 'unread', tags: ['a'] })).toBe(1);
    const listed = await reader.list('gus', { limit: 10 });
    const ids = listed.map((n) => n.id);
    const at = new Date('2026-11-30T08:00:00.456Z');
    await expect(receipts.markDelivered(listed, at)).resolves.toEqual([]);
    await expect(receipts.markDelivered(listed, new Date())).resolves.toEqual(ids);
    // The first receipt wins, and every read finds it from the notification's own created_at.
    expect((await reader.list('gus', { limit: 10 })).map((n) => n.deliveredAt)).toEqual([at.toISOString(), at.toISOString()]);
  });
});
