import { createDataSource } from '../data-source.js';
import { Database } from '../database.js';
import { InboxRepository } from './inbox.repository.js';
import { NotificationReader } from './notification-reader.js';

/** The inbox aggregate's rules, on the embedded PGlite the repository also runs on. */
describe('InboxRepository on PGlite', () => {
  let db: Database;
  let reader: NotificationReader;
  const sut = new InboxRepository();
  const note = (title: string) => ({ type: 't', title });

  beforeAll(async () => {
    const dataSource = createDataSource({ database: { url: undefined, poolSize: 1, dataDir: '' } }, { inMemory: true });
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    db = new Database(dataSource, true);
    reader = new NotificationReader(db);
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
    expect(await reader.userState('ann')).toEqual({ lastSeq: 3, unreadCount: 3 });
  });

  it('moves unread_count with read state, once per change, and only for the owner', async () => {
    const [[first], [second]] = await sut.append(db, [
      { notification: note('x'), recipients: ['cy'] },
      { notification: note('y'), recipients: ['cy'] },
    ]);

    const read = await db.transaction((tx) => sut.setRead(tx, 'cy', first.id, true));
    const again = await db.transaction((tx) => sut.setRead(tx, 'cy', first.id, true));
    const foreign = await db.transaction((tx) => sut.setRead(tx, 'dan', first.id, false));
    const removed = await db.transaction((tx) => sut.remove(tx, 'cy', second.id));

    expect(read).toMatchObject({ unreadCount: 1 });
    expect(again).toEqual({ readAt: read?.readAt });
    expect(foreign).toBeUndefined();
    expect(removed).toEqual({ unreadCount: 0 });
    await expect(db.transaction((tx) => sut.markAllRead(tx, 'cy'))).resolves.toMatchObject({ updated: 0 });
    expect(await reader.userState('cy')).toEqual({ lastSeq: 2, unreadCount: 0 });
  });
});
