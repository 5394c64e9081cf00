import { jest } from '@jest/globals';
import { ServerFrameType, type Notification, type ServerFrame } from '@herald/contracts';
import type { Database, InboxChange, InboxRepository, NotificationReader, SqlExecutor } from '@herald/database';
import { NotFoundError } from '@herald/errors';
import type { UserFramePublisher } from '../publishing/user-frame.publisher.js';
import type { InboxReads } from './inbox-reads.js';
import { InboxService } from './inbox.service.js';

const note = (seq: number) => ({ id: `n${seq}`, seq, userId: 'ann' }) as Notification;

/** InboxService over fake repositories: a transaction that records how it ended, and a publisher that records frames. */
function setup() {
  const tx: SqlExecutor = { query: async () => [] };
  const transactions: ('committed' | 'rolled back')[] = [];
  const db = {
    transaction: async <T>(work: (t: SqlExecutor) => Promise<T>): Promise<T> => {
      try {
        const result = await work(tx);
        transactions.push('committed');
        return result;
      } catch (err) {
        transactions.push('rolled back');
        throw err;
      }
    },
  };
  const inbox = {
    setRead: jest.fn(async (_tx: SqlExecutor, _u: string, _id: string, _read: boolean): Promise<InboxChange | undefined> => undefined),
    markAllRead: jest.fn(async (_tx: SqlExecutor, _u: string) => ({ readAt: '2030-01-01T00:00:00.000Z', updated: 0 })),
    remove: jest.fn(async (_tx: SqlExecutor, _u: string, _id: string): Promise<Pick<InboxChange, 'unreadCount'> | undefined> => undefined),
  };
  const reader = {
    after: jest.fn(async (_u: string, after: number, limit: number) => Array.from({ length: limit }, (_, i) => note(after + 1 + i))),
    list: jest.fn(async () => [note(9), note(8)]),
    userState: jest.fn(async () => ({ lastSeq: 9, unreadCount: 4 })),
  };
  const pushed: { userId: string; frame: ServerFrame }[] = [];
  const publisher = { publish: async (frames: { userId: string; frame: ServerFrame }[]) => void pushed.push(...frames) };
  const sut = new InboxService(
    db as unknown as Database,
    inbox as unknown as InboxRepository,
    reader as unknown as NotificationReader,
    publisher as unknown as UserFramePublisher,
    { read: (_u: string, read: (r: NotificationReader) => unknown) => read(reader as unknown as NotificationReader), wrote: async () => undefined } as unknown as InboxReads,
  );
  return { sut, tx, transactions, inbox, reader, pushed };
}

describe('InboxService', () => {
  it('catches up oldest first with after= and gives the last seq as the cursor of a full page', async () => {
    const { sut, reader } = setup();

    const page = await sut.list('ann', { after: 3, limit: 2 });

    expect(reader.after).toHaveBeenCalledWith('ann', 3, 2);
    expect(page).toEqual({ items: [note(4), note(5)], nextCursor: '5' });
  });

  it('lists newest first with the filters, and no cursor once a page comes back short', async () => {
    const { sut, reader } = setup();

    const page = await sut.list('ann', { before: 10, unread: true, type: 'quiz' });

    expect(reader.list).toHaveBeenCalledWith('ann', { limit: 20, before: 10, unread: true, type: 'quiz' });
    expect(page).toEqual({ items: [note(9), note(8)], nextCursor: null });
  });

  it('answers the unread count from the user state', async () => {
    const { sut } = setup();

    await expect(sut.unreadCount('ann')).resolves.toBe(4);
  });

  it('marks a notification read inside a transaction and pushes the change and the new count', async () => {
    const { sut, tx, transactions, inbox, pushed } = setup();
    inbox.setRead.mockResolvedValueOnce({ readAt: '2030-01-01T00:00:00.000Z', unreadCount: 2 });

    const result = await sut.setRead('ann', 'n1', true);

    expect(inbox.setRead).toHaveBeenCalledWith(tx, 'ann', 'n1', true);
    expect(transactions).toEqual(['committed']);
    expect(result).toEqual({ id: 'n1', readAt: '2030-01-01T00:00:00.000Z' });
    expect(pushed).toEqual([
      { userId: 'ann', frame: { type: ServerFrameType.NotificationUpdated, id: 'n1', readAt: '2030-01-01T00:00:00.000Z' } },
      { userId: 'ann', frame: { type: ServerFrameType.Unread, count: 2 } },
    ]);
  });

  it('pushes nothing when the notification already had that read state', async () => {
    const { sut, inbox, pushed } = setup();
    inbox.setRead.mockResolvedValueOnce({ readAt: null });

    await expect(sut.setRead('ann', 'n1', false)).resolves.toEqual({ id: 'n1', readAt: null });
    expect(pushed).toEqual([]);
  });

  it('answers 404 for an unknown or foreign id, rolls back and pushes nothing', async () => {
    const { sut, transactions, pushed } = setup();

    await expect(sut.setRead('ann', 'n1', true)).rejects.toBeInstanceOf(NotFoundError);
    await expect(sut.remove('ann', 'n1')).rejects.toBeInstanceOf(NotFoundError);
    expect(transactions).toEqual(['rolled back', 'rolled back']);
    expect(pushed).toEqual([]);
  });

  it('marks everything read and pushes read-all and a zero count', async () => {
    const { sut, tx, inbox, pushed } = setup();
    inbox.markAllRead.mockResolvedValueOnce({ readAt: '2030-01-01T00:00:00.000Z', updated: 3 });

    await expect(sut.readAll('ann')).resolves.toEqual({ readAt: '2030-01-01T00:00:00.000Z', updated: 3 });
    expect(inbox.markAllRead).toHaveBeenCalledWith(tx, 'ann');
    expect(pushed.map((p) => p.frame)).toEqual([
      { type: ServerFrameType.ReadAll, readAt: '2030-01-01T00:00:00.000Z' },
      { type: ServerFrameType.Unread, count: 0 },
    ]);
  });

  it('pushes the deletion, and the new count only when the deleted row was unread', async () => {
    const { sut, inbox, pushed } = setup();
    inbox.remove.mockResolvedValueOnce({ unreadCount: 1 }).mockResolvedValueOnce({});

    await sut.remove('ann', 'n1');
    await sut.remove('ann', 'n2');

    expect(pushed.map((p) => p.frame)).toEqual([
      { type: ServerFrameType.NotificationDeleted, id: 'n1' },
      { type: ServerFrameType.Unread, count: 1 },
      { type: ServerFrameType.NotificationDeleted, id: 'n2' },
    ]);
  });
});
