import { Inject, Injectable } from '@nestjs/common';
import { Bus } from '@herald/bus';
import type { Stream, StreamKind } from '../streams/stream-kind.js';
import { ChannelRegistry } from './channel-registry.js';

/**
 * Reference-counted Redis subscriptions: a stream's channel is subscribed
 * while at least one session here follows it (ChannelRegistry holds the
 * count). Operations on one channel run one after another and act on the
 * count at that moment, so a socket that leaves while its SUBSCRIBE is in
 * flight cannot leave a stale subscription, and a release racing a new
 * socket's acquire leaves the channel subscribed, untouched.
 */
@Injectable()
export class ChannelSubscriptions {
  /** Subscribed stream keys, by kind: the keys are ids the sessions hold anyway. */
  private readonly subscribed = new Map<StreamKind, Set<string>>();
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(ChannelRegistry) private readonly channels: ChannelRegistry,
  ) {}

  /** Resolves once the stream's channel is subscribed (the broker confirmed it), if anyone here still follows it. */
  acquire({ kind, key }: Stream): Promise<void> {
    return this.run(kind.channel(key), async (channel) => {
      const subscribed = this.subscribedOf(kind);
      if (this.channels.count(kind, key) > 0 && !subscribed.has(key)) {
        await this.bus.subscribe([channel]);
        subscribed.add(key);
      }
    });
  }

  /** Unsubscribes if no session here follows the stream any more. */
  release({ kind, key }: Stream): void {
    void this.run(kind.channel(key), async (channel) => {
      const subscribed = this.subscribedOf(kind);
      if (this.channels.count(kind, key) === 0 && subscribed.has(key)) {
        subscribed.delete(key);
        await this.bus.unsubscribe([channel]);
      }
    }).catch(() => undefined);
  }

  isSubscribed({ kind, key }: Stream): boolean {
    return this.subscribed.get(kind)?.has(key) ?? false;
  }

  private subscribedOf(kind: StreamKind): Set<string> {
    let keys = this.subscribed.get(kind);
    if (!keys) this.subscribed.set(kind, (keys = new Set()));
    return keys;
  }

  private run(channel: string, op: (channel: string) => Promise<void>): Promise<void> {
    const step = () => op(channel);
    const next = (this.chains.get(channel) ?? Promise.resolve()).then(step, step);
    const settled = next.catch(() => undefined);
    this.chains.set(channel, settled);
    void settled.then(() => {
      if (this.chains.get(channel) === settled) this.chains.delete(channel);
    });
    return next;
  }
}
