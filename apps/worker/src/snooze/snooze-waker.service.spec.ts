import { jest } from '@jest/globals';
import type { HeraldConfig } from '@herald/config';
import { InboxChangeKind, ServerFrameType, type ChangeFrame, type ServerFrame } from '@herald/contracts';
import type { AdvisoryLocks, Database, SnoozeWakerRepository, SqlExecutor, Woken } from '@herald/database';
import type { UserFramePublisher } from '../../../api/src/publishing/user-frame.publisher.js';
import { SnoozeWaker, WAKE_BATCH_SIZE } from './snooze-waker.service.js';

const woken = (userId: string, seq: number, unread: number): Woken => ({
  userId,
  frame: { type: ServerFrameType.Change, seq, change: InboxChangeKind.Woken, at: '', ids: [`${userId}${seq}`], counts: { inbox: 1, unread, unseen: 1, archived: 0, snoozed: 0 } } as ChangeFrame,
});

function setup(locked: boolean, batches: { scanned: number; woken: Woken[] }[]) {
  const tx: SqlExecutor = { query: async () => [] };
  const db = { transaction: <T>(work: (t: SqlExecutor) => Promise<T>) => work(tx) };
  const locks = { tryForTransaction: jest.fn(async () => locked) };
  const waker = { wakeDue: jest.fn(async () => batches.shift() ?? { scanned: 0, woken: [] }) };
  const pushed: { userId: string; frame: ServerFrame }[] = [];
  const publisher = { publish: async (frames: { userId: string; frame: ServerFrame }[]) => void pushed.push(...frames) };
  const sut = new SnoozeWaker(
    db as unknown as Database, waker as unknown as SnoozeWakerRepository, locks as unknown as AdvisoryLocks,
    publisher as unknown as UserFramePublisher, { inbox: { wakeIntervalMs: 0 } } as HeraldConfig,
  );
  return { sut, waker, pushed };
}

describe('SnoozeWaker', () => {
  it('does nothing while another replica holds the lock', async () => {
    const { sut, waker, pushed } = setup(false, []);
    await expect(sut.runOnce()).resolves.toBe(0);
    expect(waker.wakeDue).not.toHaveBeenCalled();
    expect(pushed).toEqual([]);
  });

  it('publishes each woken entry after its batch, then each user\'s latest unread count, and goes on while batches come back full', async () => {
    const full = { scanned: WAKE_BATCH_SIZE, woken: [woken('ann', 5, 2), woken('ann', 6, 3)] };
    const last = { scanned: 1, woken: [woken('bob', 9, 1)] };
    const { sut, waker, pushed } = setup(true, [full, last]);

    await expect(sut.runOnce()).resolves.toBe(3);

    expect(waker.wakeDue).toHaveBeenCalledTimes(2);
    expect(pushed.map(({ userId, frame }) => [userId, frame.type, 'seq' in frame ? frame.seq : (frame as { count: number }).count])).toEqual([
      ['ann', 'inbox.change', 5], ['ann', 'inbox.change', 6], ['ann', 'unread', 3], ['bob', 'inbox.change', 9], ['bob', 'unread', 1],
    ]);
  });
});
