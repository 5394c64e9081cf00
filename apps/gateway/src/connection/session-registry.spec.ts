import { ChannelRegistry } from '../fanout/channel-registry.js';
import type { StreamKind } from '../streams/stream-kind.js';
import type { ClientSession } from './client-session.js';
import { SessionRegistry } from './session-registry.js';

const users = {} as StreamKind;
const topics = {} as StreamKind;
const session = (userId: string) => ({ userId }) as ClientSession;

function setup() {
  const channels = new ChannelRegistry();
  const sut = new SessionRegistry(channels, users);
  const changes: [string, number][] = [];
  sut.onCountChange((userId, count) => changes.push([userId, count]));
  return { sut, channels, changes };
}

describe('SessionRegistry', () => {
  it("files each socket under its user's channel and counts sockets and users", () => {
    const { sut, channels, changes } = setup();
    const [a1, a2, b] = [session('ann'), session('ann'), session('bob')];

    const home = sut.add(a1);
    expect(sut.add(a2)).toBe(home);
    sut.add(b);

    expect(home).toBe(channels.get(users, 'ann'));
    expect(sut.channelOf('ann')).toBe(home);
    expect([sut.connectionCount, sut.userCount, sut.countFor('ann'), sut.countFor('cy')]).toEqual([3, 2, 2, 0]);
    expect(changes).toEqual([['ann', 1], ['ann', 2], ['bob', 1]]);
  });

  it("returns the user's channel once its last socket is removed, and ignores a stranger", () => {
    const { sut, changes } = setup();
    const [a1, a2] = [session('ann'), session('ann')];
    const home = sut.add(a1);
    sut.add(a2);

    expect(sut.remove(a1)).toBeUndefined();
    expect(sut.remove(session('ann'))).toBeUndefined();
    expect(sut.remove(a2)).toBe(home);
    expect([sut.connectionCount, sut.userCount, sut.countFor('ann')]).toEqual([0, 0, 0]);
    expect(changes.slice(2)).toEqual([['ann', 1], ['ann', 0]]);
  });

  it('lists users and sockets from user channels only, not from the topics they follow', () => {
    const { sut, channels } = setup();
    const [a, b] = [session('ann'), session('bob')];
    sut.add(a);
    sut.add(b);
    channels.join(topics, 'jobs', a);

    expect([...sut.users()]).toEqual(['ann', 'bob']);
    expect([...sut.all()]).toEqual([a, b]);
  });
});
