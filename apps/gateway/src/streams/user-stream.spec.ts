import { jest } from '@jest/globals';
import type { HeraldConfig } from '@herald/config';
import { notificationFrame, ServerFrameType, type ChangeFrame, type Notification } from '@herald/contracts';
import type { NotificationReader } from '@herald/database';
import { Metrics } from '@herald/observability';
import { UserStream } from './user-stream.js';

const row = (userId: string, seq: number) => ({ userId, seq, id: `${userId}-${seq}` }) as Notification;

const change = (seq: number): ChangeFrame => ({
  type: ServerFrameType.Change, seq, change: 'read', at: '2030-01-01T00:00:00.000Z', ids: ['x'],
  counts: { inbox: 1, unread: 0, unseen: 0, archived: 0, snoozed: 0 },
});

function setup(rows: Notification[]) {
  const frames = rows.map(notificationFrame);
  const reader = {
    entriesAfter: jest.fn(async () => frames),
    entriesAfterForUsers: jest.fn(async () => {
      const byUser = new Map<string, typeof frames>();
      for (const f of frames) byUser.set(f.notification.userId, [...(byUser.get(f.notification.userId) ?? []), f]);
      return byUser;
    }),
  };
  const metrics = new Metrics(false);
  const sut = new UserStream(reader as unknown as NotificationReader, metrics, { redis: { prefix: 'p:' } } as HeraldConfig);
  return { sut, reader, metrics };
}

describe('UserStream', () => {
  it("names the user's channel both ways and finds the seq of a notification and of an inbox change", () => {
    const { sut } = setup([]);

    expect(sut.channel('ann')).toBe('p:u:{ann}');
    expect(sut.keyOf('p:u:{ann}')).toBe('ann');
    expect(sut.keyOf('p:broadcast')).toBeNull();
    expect(sut.positionOf({ type: ServerFrameType.Notification, notification: row('ann', 7) })).toBe(7);
    expect(sut.positionOf(change(8))).toBe(8);
    expect(sut.positionOf({ type: ServerFrameType.Unread, count: 3 })).toBeUndefined();
    expect(sut.resyncFrame('ann', 9)).toEqual({ type: 'resync_required', lastSeq: 9 });
  });

  it('reads a gap strictly between two seqs (notifications and changes, merged by the reader), and counts it', async () => {
    const { sut, reader, metrics } = setup([row('ann', 5), row('ann', 6)]);

    const entries = await sut.readGap('ann', 4, 7);

    expect(reader.entriesAfter).toHaveBeenCalledWith('ann', 4, 2, 7);
    expect(entries).toEqual([5, 6].map((seq) => ({ type: 'notification', notification: row('ann', seq) })));
    expect((await metrics.gapFills.get()).values[0].value).toBe(1);
  });

  it('reads many users in one query, one more than the limit each, grouped by user', async () => {
    const { sut, reader } = setup([row('ann', 2), row('ann', 3), row('bob', 8)]);
    const positions = new Map([['ann', 1], ['bob', 7], ['cy', 0]]);

    const entries = await sut.readAfter(positions);

    expect(reader.entriesAfterForUsers).toHaveBeenCalledWith(positions, 1001);
    expect([...entries].map(([u, frames]) => [u, frames.map((f) => sut.positionOf(f))])).toEqual([['ann', [2, 3]], ['bob', [8]]]);
  });
});
