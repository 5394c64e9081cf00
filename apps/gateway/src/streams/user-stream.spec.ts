import { jest } from '@jest/globals';
import type { HeraldConfig } from '@herald/config';
import { ServerFrameType, type Notification } from '@herald/contracts';
import type { NotificationReader } from '@herald/database';
import { Metrics } from '@herald/observability';
import { UserStream } from './user-stream.js';

const row = (userId: string, seq: number) => ({ userId, seq, id: `${userId}-${seq}` }) as Notification;

function setup(rows: Notification[]) {
  const reader = {
    after: jest.fn(async () => rows),
    afterForUsers: jest.fn(async () => rows),
  };
  const metrics = new Metrics(false);
  const sut = new UserStream(reader as unknown as NotificationReader, metrics, { redis: { prefix: 'p:' } } as HeraldConfig);
  return { sut, reader, metrics };
}

describe('UserStream', () => {
  it("names the user's channel both ways and finds a notification frame's seq", () => {
    const { sut } = setup([]);

    expect(sut.channel('ann')).toBe('p:u:{ann}');
    expect(sut.keyOf('p:u:{ann}')).toBe('ann');
    expect(sut.keyOf('p:broadcast')).toBeNull();
    expect(sut.positionOf({ type: ServerFrameType.Notification, notification: row('ann', 7) })).toBe(7);
    expect(sut.positionOf({ type: ServerFrameType.Unread, count: 3 })).toBeUndefined();
    expect(sut.resyncFrame('ann', 9)).toEqual({ type: 'resync_required', lastSeq: 9 });
  });

  it('reads a gap strictly between two seqs, as notification frames, and counts it', async () => {
    const { sut, reader, metrics } = setup([row('ann', 5), row('ann', 6)]);

    const entries = await sut.readGap('ann', 4, 7);

    expect(reader.after).toHaveBeenCalledWith('ann', 4, 2, 7);
    expect(entries).toEqual([5, 6].map((seq) => ({ type: 'notification', notification: row('ann', seq) })));
    expect((await metrics.gapFills.get()).values[0].value).toBe(1);
  });

  it('reads many users in one query, one more than the limit each, grouped by user', async () => {
    const { sut, reader } = setup([row('ann', 2), row('ann', 3), row('bob', 8)]);
    const positions = new Map([['ann', 1], ['bob', 7], ['cy', 0]]);

    const entries = await sut.readAfter(positions);

    expect(reader.afterForUsers).toHaveBeenCalledWith(positions, 1001);
    expect([...entries].map(([u, frames]) => [u, frames.map((f) => sut.positionOf(f))])).toEqual([['ann', [2, 3]], ['bob', [8]]]);
  });
});
