import { jest } from '@jest/globals';
import { InboxChangeKind, ServerFrameType, type ChangeFrame, type Notification, type ServerFrame } from '@herald/contracts';
import type { AppliedChange, Database, InboxChangesRepository, NotificationLookup, SqlExecutor, StateChange } from '@herald/database';
import { NotFoundError, ValidationError } from '@herald/errors';
import type { UserFramePublisher } from '../publishing/user-frame.publisher.js';
import { InboxChangesService } from './inbox-changes.service.js';

const counts = { inbox: 2, unread: 1, unseen: 1, archived: 0, snoozed: 0 };
const frame = (change: ChangeFrame['change']): ChangeFrame => ({ type: ServerFrameType.Change, seq: 7, change, at: '2030-01-01T00:00:00.000Z', ids: ['n1'], counts });

/** InboxChangesService over fakes: a transaction that records how it ended, and a publisher that records frames. */
function setup(owner = true) {
  const tx: SqlExecutor = { query: async () => [] };
  const transactions: string[] = [];
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
  const changes = {
    lockUser: jest.fn(async () => owner),
    apply: jest.fn(async (_tx: SqlExecutor, _u: string, _c: StateChange): Promise<AppliedChange> => ({ changed: 0, ids: [], unreadDelta: 0 })),
  };
  const current = { id: 'n1', readAt: '2030-01-01T00:00:00.000Z' } as Notification;
  const lookup = { forUser: jest.fn(async (): Promise<Notification | undefined> => (owner ? current : undefined)) };
  const pushed: ServerFrame[] = [];
  const publisher = { publish: async (frames: { userId: string; frame: ServerFrame }[]) => void pushed.push(...frames.map((f) => f.frame)) };
  const sut = new InboxChangesService(
    db as unknown as Database, changes as unknown as InboxChangesRepository, lookup as unknown as NotificationLookup, publisher as unknown as UserFramePublisher,
  );
  return { sut, tx, transactions, changes, lookup, pushed };
}

describe('InboxChangesService', () => {
  it('pushes the change entry, then the frames old clients know, then unread when the count moved', async () => {
    const { sut, changes, pushed, transactions } = setup();
    changes.apply.mockResolvedValueOnce({ changed: 1, ids: ['n1'], frame: frame('read'), unreadDelta: -1, counts });
    await expect(sut.setRead('ann', 'n1', true)).resolves.toEqual({ id: 'n1', readAt: '2030-01-01T00:00:00.000Z' });
    expect(transactions).toEqual(['committed']);
    expect(pushed).toEqual([
      frame('read'),
      { type: ServerFrameType.NotificationUpdated, id: 'n1', readAt: '2030-01-01T00:00:00.000Z' },
      { type: ServerFrameType.Unread, count: 1 },
    ]);
  });

  it('pushes nothing when nothing changed, and answers the current state', async () => {
    const { sut, pushed } = setup();
    await expect(sut.change('ann', 'n1', { kind: InboxChangeKind.Archived })).resolves.toMatchObject({ id: 'n1' });
    expect(pushed).toEqual([]);
  });

  it('answers the same 404 for an unknown id and for a user without an inbox, rolling back', async () => {
    const { sut, transactions } = setup(false);
    await expect(sut.change('ann', 'n1', { kind: InboxChangeKind.Seen })).rejects.toBeInstanceOf(NotFoundError);
    await expect(sut.remove('ann', 'n1')).rejects.toBeInstanceOf(NotFoundError);
    expect(transactions).toEqual(['rolled back', 'rolled back']);
  });

  it('refuses an interaction the notification does not offer, and a snooze in the past', async () => {
    const { sut } = setup();
    await expect(sut.change('ann', 'n1', { kind: InboxChangeKind.Interacted, interaction: 'nope' })).rejects.toBeInstanceOf(ValidationError);
    await expect(sut.change('ann', 'n1', { kind: InboxChangeKind.Snoozed, snoozedUntil: '2000-01-01T00:00:00Z' })).rejects.toMatchObject({ details: [{ field: 'until' }] });
  });

  it('takes exactly one of ids and filter for a bulk change, and answers its position', async () => {
    const { sut, changes } = setup();
    await expect(sut.bulk('ann', 'read')).rejects.toBeInstanceOf(ValidationError);
    await expect(sut.bulk('ann', 'read', ['n1'], { state: 'unread' })).rejects.toBeInstanceOf(ValidationError);
    changes.apply.mockResolvedValueOnce({ changed: 3, ids: [], frame: frame('bulk'), unreadDelta: -3, counts });
    await expect(sut.bulk('ann', 'read', undefined, { category: 'social' })).resolves.toEqual({ changed: 3, seq: 7 });
    expect(changes.apply.mock.calls[0][2]).toEqual({ kind: 'bulk', action: 'read', filter: { category: 'social' } });
  });

  it('read-all pushes read_all and the count as before, even when nothing changed', async () => {
    const { sut, pushed } = setup();
    await sut.readAll('ann');
    expect(pushed.map((f) => f.type)).toEqual([ServerFrameType.ReadAll, ServerFrameType.Unread]);
  });
});
