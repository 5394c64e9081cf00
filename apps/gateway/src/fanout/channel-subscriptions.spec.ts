import { jest } from '@jest/globals';
import type { Bus } from '@herald/bus';
import type { ClientSession } from '../connection/client-session.js';
import type { StreamKind } from '../streams/stream-kind.js';
import { ChannelRegistry, type Channel } from './channel-registry.js';
import { ChannelSubscriptions } from './channel-subscriptions.js';

const users = { channel: (userId: string) => `u:{${userId}}` } as StreamKind;
const session = () => ({}) as ClientSession;
const flush = () => new Promise((r) => setTimeout(r, 0));

/** A bus whose SUBSCRIBEs wait until the test confirms them, as a broker's answer would. */
function fakeBus() {
  const confirmations: (() => void)[] = [];
  const calls: string[] = [];
  const bus = {
    subscribe: jest.fn((channels: string[]) => {
      calls.push(`subscribe ${channels.join()}`);
      return new Promise<void>((resolve) => confirmations.push(resolve));
    }),
    unsubscribe: jest.fn(async (channels: string[]) => {
      calls.push(`unsubscribe ${channels.join()}`);
    }),
  };
  const confirm = () => confirmations.splice(0).forEach((resolve) => resolve());
  return { bus: bus as unknown as Bus, calls, confirm };
}

function setup() {
  const { bus, calls, confirm } = fakeBus();
  const channels = new ChannelRegistry();
  const sut = new ChannelSubscriptions(bus, channels);
  /** A socket arrives for ann and its acquire goes through, the broker confirming. */
  const arrive = async (s: ClientSession) => {
    const channel = channels.join(users, 'ann', s);
    const acquired = sut.acquire(channel);
    await flush();
    confirm();
    await acquired;
    return channel;
  };
  /** A socket of ann leaves and releases. */
  const leave = (channel: Channel, s: ClientSession) => {
    channels.leave(channel, s);
    sut.release(channel);
  };
  return { sut, channels, calls, confirm, arrive, leave };
}

describe('ChannelSubscriptions', () => {
  it('subscribes a channel once for all its followers and unsubscribes after the last leaves', async () => {
    const { sut, channels, calls, confirm, leave } = setup();
    const [a, b] = [session(), session()];
    const ch = channels.join(users, 'ann', a);
    const first = sut.acquire(ch);
    channels.join(users, 'ann', b);
    const second = sut.acquire(ch);
    await flush();
    confirm();
    await Promise.all([first, second]);
    expect(sut.isSubscribed(ch)).toBe(true);

    leave(ch, a);
    await flush();
    expect(calls).toEqual(['subscribe u:{ann}']);
    leave(ch, b);
    await flush();

    expect(calls).toEqual(['subscribe u:{ann}', 'unsubscribe u:{ann}']);
    expect(sut.isSubscribed(ch)).toBe(false);
  });

  it('unsubscribes a channel whose only follower left while its SUBSCRIBE was in flight', async () => {
    const { sut, channels, calls, confirm, leave } = setup();
    const a = session();
    const ch = channels.join(users, 'ann', a);
    const acquired = sut.acquire(ch);
    await flush();

    leave(ch, a);
    confirm();
    await acquired;
    await flush();

    expect(calls).toEqual(['subscribe u:{ann}', 'unsubscribe u:{ann}']);
    expect(sut.isSubscribed(ch)).toBe(false);
  });

  it('keeps the channel when a release races a new socket’s acquire', async () => {
    const { sut, calls, arrive, leave } = setup();
    const [a, b] = [session(), session()];
    const old = await arrive(a);

    // The last socket leaves and a new one arrives before the release has run.
    leave(old, a);
    const renewed = await arrive(b);

    expect(calls).toEqual(['subscribe u:{ann}']);
    expect(sut.isSubscribed(renewed)).toBe(true);
  });

  it('subscribes again for a socket that arrives after the release went through', async () => {
    const { sut, calls, arrive, leave } = setup();
    const [a, b] = [session(), session()];
    const old = await arrive(a);
    leave(old, a);
    await flush();

    const renewed = await arrive(b);

    expect(calls).toEqual(['subscribe u:{ann}', 'unsubscribe u:{ann}', 'subscribe u:{ann}']);
    expect(sut.isSubscribed(renewed)).toBe(true);
  });
});
