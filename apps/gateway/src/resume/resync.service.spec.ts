import { jest } from '@jest/globals';
import type { Bus } from '@herald/bus';
import type { Notification } from '@herald/contracts';
import type { NotificationReader } from '@herald/database';
import { Metrics } from '@herald/observability';
import type { ClientSession } from '../connection/client-session.js';
import { SessionRegistry } from '../connection/session-registry.js';
import { ResyncService } from './resync.service.js';

const note = (userId: string, seq: number) => ({ userId, seq, id: `${userId}-${seq}` }) as Notification;

function fakeSession(userId: string, cursor: number) {
  const sent: number[] = [];
  const session = {
    userId,
    cursor,
    enqueue: (task: () => void) => task(),
    sendStored: (n: Notification) => {
      sent.push(n.seq);
      session.cursor = n.seq;
    },
    send: jest.fn(),
  };
  return { session: session as unknown as ClientSession, sent };
}

describe('ResyncService', () => {
  it('reads all connected users in batches of 500, from each user’s lowest cursor, and replays only what a socket lacks', async () => {
    const registry = new SessionRegistry();
    const sockets = Array.from({ length: 1200 }, (_, i) => fakeSession(`u${i}`, 1));
    const laggard = fakeSession('u0', 0);
    for (const s of [...sockets, laggard]) registry.add(s.session);
    const afterForUsers = jest.fn(async (cursors: Map<string, number>) =>
      [...cursors].flatMap(([userId, after]) => [after + 1, after + 2].map((seq) => note(userId, seq))),
    );
    const reader = { afterForUsers } as unknown as NotificationReader;
    const sut = new ResyncService({ onResubscribed: () => undefined } as unknown as Bus, registry, reader, new Metrics(false));

    await sut.resyncAll();

    expect(afterForUsers).toHaveBeenCalledTimes(3);
    expect(afterForUsers.mock.calls[0][0].get('u0')).toBe(0);
    expect(laggard.sent).toEqual([1, 2]);
    expect(sockets[0].sent).toEqual([2]); // already had seq 1
    expect(sockets[1199].sent).toEqual([2, 3]);
  });
});
