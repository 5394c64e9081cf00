import { jest } from '@jest/globals';
import { notificationFrame, type Notification } from '@herald/contracts';
import type { UserState } from '@herald/database';
import { ResumeReads } from './resume-reads.js';

const counts = { inbox: 0, unread: 0, unseen: 0, archived: 0, snoozed: 0 };
const row = (userId: string, seq: number) => notificationFrame({ userId, seq } as Notification);

function fakeReader(lastSeq: Record<string, number>) {
  const state = (u: string): UserState => ({ lastSeq: lastSeq[u] ?? 0, unreadCount: 0, counts });
  const rowsAbove = (u: string, after: number) => Array.from({ length: Math.max(0, (lastSeq[u] ?? 0) - after) }, (_, i) => row(u, after + i + 1));
  return {
    userStates: jest.fn(async (users: string[]) => new Map(users.map((u) => [u, state(u)]))),
    entriesAfterForUsers: jest.fn(async (cursors: Map<string, number>) => new Map([...cursors].map(([u, after]) => [u, rowsAbove(u, after)]))),
    userState: jest.fn(async (u: string) => state(u)),
    entriesAfter: jest.fn(async (u: string, after: number) => rowsAbove(u, after)),
  };
}

describe('ResumeReads', () => {
  it('reads the resumes of one event-loop turn in one state query and one row query', async () => {
    const reader = fakeReader({ ann: 5, bob: 2, cy: 0 });
    const sut = new ResumeReads(reader);

    const [ann, bob, cy, dee] = await Promise.all([sut.read('ann', 3), sut.read('bob', 2), sut.read('cy'), sut.read('dee', 9)]);

    expect(reader.userStates).toHaveBeenCalledTimes(1);
    expect(reader.entriesAfterForUsers).toHaveBeenCalledTimes(1);
    expect([...reader.entriesAfterForUsers.mock.calls[0][0]]).toEqual([['ann', 3], ['bob', 2]]);
    expect(ann).toEqual({ state: { lastSeq: 5, unreadCount: 0, counts }, rows: [row('ann', 4), row('ann', 5)] });
    expect(bob).toEqual({ state: { lastSeq: 2, unreadCount: 0, counts }, rows: [] });
    expect(cy).toEqual({ state: { lastSeq: 0, unreadCount: 0, counts }, rows: undefined });
    // Ahead of the database: no rows, the caller answers resync_required.
    expect(dee.rows).toBeUndefined();
  });

  it("reads a user's second socket in the same turn on its own, from its own seq", async () => {
    const reader = fakeReader({ ann: 4 });
    const sut = new ResumeReads(reader);

    const [first, second] = await Promise.all([sut.read('ann', 1), sut.read('ann', 3)]);

    expect(first.rows?.map((r) => (r.type === 'notification' ? r.notification.seq : r.seq))).toEqual([2, 3, 4]);
    expect(second.rows?.map((r) => (r.type === 'notification' ? r.notification.seq : r.seq))).toEqual([4]);
    expect(reader.entriesAfter).toHaveBeenCalledWith('ann', 3, expect.any(Number));
  });

  it('rejects every read of a batch whose query failed, and serves the next batch', async () => {
    const reader = fakeReader({ ann: 1 });
    reader.userStates.mockRejectedValueOnce(new Error('db down'));
    const sut = new ResumeReads(reader);

    const failed = await Promise.allSettled([sut.read('ann', 0), sut.read('bob', 0)]);
    const next = await sut.read('ann', 0);

    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(next.rows).toEqual([row('ann', 1)]);
  });
});
