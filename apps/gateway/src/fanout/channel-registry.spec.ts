import type { ClientSession } from '../connection/client-session.js';
import type { StreamKind } from '../streams/stream-kind.js';
import { ChannelRegistry } from './channel-registry.js';

const session = (id: string) => ({ connectionId: id }) as unknown as ClientSession;
/** A kind whose channels are `<tag>:{key}`. */
const kind = (tag: string) =>
  ({
    channel: (key: string) => `${tag}:{${key}}`,
    keyOf: (channel: string) => (channel.startsWith(`${tag}:{`) ? channel.slice(tag.length + 2, -1) : null),
  }) as StreamKind;
const users = kind('u');
const topics = kind('t');

describe('ChannelRegistry', () => {
  it('keeps one channel per stream, counting its followers, and forgets it after the last leaves', () => {
    const sut = new ChannelRegistry();
    const [a, b] = [session('a'), session('b')];

    const first = sut.join(topics, 'jobs', a);
    const second = sut.join(topics, 'jobs', b);

    expect(second).toBe(first);
    expect([first.kind, first.key, [...first]]).toEqual([topics, 'jobs', [a, b]]);
    expect(sut.count(topics, 'jobs')).toBe(2);
    expect(sut.leave(first, a)).toBe(false);
    expect(sut.get(topics, 'jobs')).toBe(first);
    expect(sut.leave(first, b)).toBe(true);
    expect(sut.get(topics, 'jobs')).toBeUndefined();
    expect(sut.count(topics, 'jobs')).toBe(0);
  });

  it('finds the channel a bus message came on, whatever its kind', () => {
    const sut = new ChannelRegistry();
    const a = session('a');
    const topic = sut.join(topics, 'ann', a);
    const user = sut.join(users, 'ann', a);

    expect(topic).not.toBe(user);
    expect(sut.find('t:{ann}')).toBe(topic);
    expect(sut.find('u:{ann}')).toBe(user);
    expect(sut.find('u:{bob}')).toBeUndefined();
    expect(sut.find('elsewhere')).toBeUndefined();
  });

  it('lists channels by kind and counts them', () => {
    const sut = new ChannelRegistry();
    const [a, b] = [session('a'), session('b')];
    const ann = sut.join(users, 'ann', a);
    const bob = sut.join(users, 'bob', b);
    sut.join(topics, 'jobs', a);

    expect([...sut.kinds()]).toEqual([users, topics]);
    expect([...sut.ofKind(users)]).toEqual([ann, bob]);
    expect([sut.sizeOf(users), sut.sizeOf(topics), sut.sizeOf(kind('x'))]).toEqual([2, 1, 0]);
    expect([...sut.ofKind(kind('x'))]).toEqual([]);
  });

  it('ignores a session that does not follow the channel', () => {
    const sut = new ChannelRegistry();
    const ann = sut.join(users, 'ann', session('a'));

    expect(sut.leave(ann, session('stranger'))).toBe(false);
    expect(sut.count(users, 'ann')).toBe(1);
  });

  it('does not forget a newer channel of the same stream when an older one empties', () => {
    const sut = new ChannelRegistry();
    const [a, b] = [session('a'), session('b')];
    const old = sut.join(topics, 'jobs', a);
    sut.leave(old, a);
    const renewed = sut.join(topics, 'jobs', b);

    expect(sut.leave(old, a)).toBe(false);
    expect(sut.get(topics, 'jobs')).toBe(renewed);
  });
});
