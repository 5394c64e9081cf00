import { jest } from '@jest/globals';
import type { Bus } from '@herald/bus';
import type { HeraldConfig } from '@herald/config';
import { broadcastChannel, multicastChannel, toMulticast, type Notification, type ServerFrame } from '@herald/contracts';
import type { ClientSession } from '../connection/client-session.js';
import { SessionRegistry } from '../connection/session-registry.js';
import type { Stream, StreamKind } from '../streams/stream-kind.js';
import { ChannelRegistry } from './channel-registry.js';
import { FanoutService } from './fanout.service.js';

const prefix = 'test:';
/** A kind whose channels are `test:<tag>:{key}`. */
const kind = (tag: string) =>
  ({
    channel: (key: string) => `${prefix}${tag}:{${key}}`,
    keyOf: (channel: string) => (channel.startsWith(`${prefix}${tag}:{`) ? channel.slice(prefix.length + tag.length + 2, -1) : null),
  }) as StreamKind;
const users = kind('u');
const topics = kind('t');

const note = (userId: string, seq: number): Notification => ({
  id: `${userId}-${seq}`, seq, activitySeq: seq, stateSeq: seq, userId, type: 't', title: 'hello', body: null, severity: 'info', data: { n: 1 }, link: null,
  createdAt: '2026-01-01T00:00:00.000Z', readAt: null, expiresAt: null,
});

type Delivery = [stream: Stream | undefined, frame: ServerFrame, raw: string];

function setup() {
  const channels = new ChannelRegistry();
  const registry = new SessionRegistry(channels, users);
  const sut = new FanoutService({} as Bus, channels, registry, { redis: { prefix } } as HeraldConfig);
  /** A socket of `userId` that records what it is handed. */
  const connect = (userId: string) => {
    const deliver = jest.fn<(...args: Delivery) => void>();
    const session = { userId, deliver } as unknown as ClientSession;
    return { session, deliver, home: registry.add(session) };
  };
  return { sut, channels, connect };
}

describe('FanoutService', () => {
  it("hands a stream's message, parsed once and as it came, to that channel's followers only", () => {
    const { sut, connect } = setup();
    const [ann1, ann2, bob] = [connect('ann'), connect('ann'), connect('bob')];
    const payload = JSON.stringify({ type: 'unread', count: 2 });

    sut.dispatch(users.channel('ann'), payload);

    for (const { deliver, home } of [ann1, ann2]) {
      expect(deliver).toHaveBeenCalledTimes(1);
      expect(deliver.mock.calls[0][0]).toBe(home);
      expect(deliver.mock.calls[0][1]).toEqual({ type: 'unread', count: 2 });
      expect(deliver.mock.calls[0][2]).toBe(payload);
    }
    expect(ann1.deliver.mock.calls[0][1]).toBe(ann2.deliver.mock.calls[0][1]);
    expect(bob.deliver).not.toHaveBeenCalled();
  });

  it('finds any kind of stream by its channel, with no branch per kind', () => {
    const { sut, channels, connect } = setup();
    const ann = connect('ann');
    const jobs = channels.join(topics, 'jobs', ann.session);

    sut.dispatch(topics.channel('jobs'), '{"type":"job","seq":1}');

    expect(ann.deliver).toHaveBeenCalledWith(jobs, { type: 'job', seq: 1 }, '{"type":"job","seq":1}');
  });

  it('drops messages on channels nobody here follows, and malformed ones', () => {
    const { sut, connect } = setup();
    const ann = connect('ann');

    sut.dispatch(users.channel('bob'), '{"type":"unread","count":1}');
    sut.dispatch(users.channel('ann'), '{not json');

    expect(ann.deliver).not.toHaveBeenCalled();
  });

  it('gives a broadcast to every socket here, outside any stream', () => {
    const { sut, connect } = setup();
    const sockets = [connect('ann'), connect('ann'), connect('bob')];
    const payload = JSON.stringify({ type: 'broadcast', broadcast: { id: 'b1' } });

    sut.dispatch(broadcastChannel(prefix), payload);

    for (const { deliver } of sockets) expect(deliver).toHaveBeenCalledWith(undefined, { type: 'broadcast', broadcast: { id: 'b1' } }, payload);
  });

  it("gives each recipient here its own copy of a multicast, on its user's stream", () => {
    const { sut, connect } = setup();
    const [ann, bob] = [connect('ann'), connect('bob')];
    const copies = [note('ann', 4), note('zed', 9), note('bob', 1)];

    sut.dispatch(multicastChannel(prefix), JSON.stringify(toMulticast(copies)));

    for (const [{ deliver, home }, copy] of [[ann, copies[0]], [bob, copies[2]]] as const) {
      expect(deliver).toHaveBeenCalledTimes(1);
      const [stream, frame, raw] = deliver.mock.calls[0];
      expect(stream).toBe(home);
      expect(frame).toEqual({ type: 'notification', notification: copy });
      expect(raw).toBe(JSON.stringify({ type: 'notification', notification: copy }));
    }
  });
});
