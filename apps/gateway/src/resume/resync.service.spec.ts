import { jest } from '@jest/globals';
import type { WebSocket } from 'ws';
import type { Bus } from '@herald/bus';
import type { HeraldConfig } from '@herald/config';
import { notificationFrame, ServerFrameType, type Notification, type ServerFrame } from '@herald/contracts';
import type { NotificationReader } from '@herald/database';
import { Metrics } from '@herald/observability';
import { ClientSession } from '../connection/client-session.js';
import { SessionRegistry } from '../connection/session-registry.js';
import { ChannelRegistry } from '../fanout/channel-registry.js';
import { UserStream } from '../streams/user-stream.js';
import { ResyncService } from './resync.service.js';

const note = (userId: string, seq: number) => ({ userId, seq, id: `${userId}-${seq}` }) as Notification;
const flush = () => new Promise((r) => setTimeout(r, 0));

function setup(afterForUsers: NotificationReader['afterForUsers']) {
  const metrics = new Metrics(false);
  // The reader merges notifications and inbox changes per user; here there are only notifications.
  const entriesAfterForUsers = async (cursors: Map<string, number>, limit: number) => {
    const byUser = new Map<string, ServerFrame[]>();
    for (const n of await afterForUsers(cursors, limit)) byUser.set(n.userId, [...(byUser.get(n.userId) ?? []), notificationFrame(n)]);
    return byUser;
  };
  const users = new UserStream({ entriesAfterForUsers } as unknown as NotificationReader, metrics, { redis: { prefix: 'herald:' } } as HeraldConfig);
  const channels = new ChannelRegistry();
  const registry = new SessionRegistry(channels, users);
  const deps = { ownStream: users, onSent: () => undefined, close: () => undefined, sendBufferBytes: 1 << 20 };
  /** A socket of `userId` that holds everything up to `cursor`; `frames` lists what it is sent, `sent` the seqs among them. */
  const connect = (userId: string, cursor: number) => {
    const frames: ServerFrame[] = [];
    const ws = { OPEN: 1, readyState: 1, bufferedAmount: 0, send: (s: string) => frames.push(JSON.parse(s)) };
    const session = new ClientSession(ws as unknown as WebSocket, `c-${userId}`, userId, deps);
    session.replay({ kind: users, key: userId }, [], cursor);
    registry.add(session);
    return {
      session,
      frames,
      get sent() {
        return frames.flatMap((f) => (f.type === ServerFrameType.Notification ? [f.notification.seq] : []));
      },
    };
  };
  const sut = new ResyncService({ onResubscribed: () => undefined } as unknown as Bus, channels, metrics);
  return { sut, connect };
}

describe('ResyncService', () => {
  it('reads all connected users in batches of 500, from each user’s lowest cursor, and replays only what a socket lacks', async () => {
    const afterForUsers = jest.fn(async (cursors: Map<string, number>) =>
      [...cursors].flatMap(([userId, after]) => [after + 1, after + 2].map((seq) => note(userId, seq))),
    );
    const { sut, connect } = setup(afterForUsers);
    const sockets = Array.from({ length: 1200 }, (_, i) => connect(`u${i}`, 1));
    const laggard = connect('u0', 0);

    await sut.resyncAll();
    await flush();

    expect(afterForUsers).toHaveBeenCalledTimes(3);
    expect(afterForUsers.mock.calls[0][0].get('u0')).toBe(0);
    expect(laggard.sent).toEqual([1, 2]);
    expect(sockets[0].sent).toEqual([2]); // already had seq 1
    expect(sockets[1199].sent).toEqual([2, 3]);
  });

  it("tells a socket to resync when more than the limit was missed, and goes on live after the newest", async () => {
    const afterForUsers = jest.fn(async () => Array.from({ length: 1001 }, (_, i) => note('ann', i + 1)));
    const { sut, connect } = setup(afterForUsers);
    const ann = connect('ann', 0);

    await sut.resyncAll();
    await flush();

    expect(ann.frames).toEqual([{ type: 'resync_required', lastSeq: 1001 }]);
    expect(ann.session.cursor).toBe(1001);
  });
});
