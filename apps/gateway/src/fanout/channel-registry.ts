import { Injectable } from '@nestjs/common';
import type { ClientSession } from '../connection/client-session.js';
import type { Stream, StreamKind } from '../streams/stream-kind.js';

/**
 * A stream that sockets on this pod follow: the set of those sockets, with
 * the stream's kind and key. One object, not a record holding a set: every
 * socket follows its own user's stream, so at one socket per user this is
 * per-socket memory. The channel's name is not kept either (Redis keeps its
 * own copy); kind.channel(key) gives it when it is needed.
 */
export class Channel extends Set<ClientSession> implements Stream {
  constructor(
    readonly kind: StreamKind,
    readonly key: string,
  ) {
    super();
  }
}

/**
 * Channel → the sessions here that follow it: the one index fan-out looks a
 * bus message up in. A channel is here while at least one session follows
 * it; how many do is its reference count (ChannelSubscriptions subscribes
 * for the first and unsubscribes after the last). Channels are filed by
 * kind, then by key, so the keys are the ids the sessions already hold.
 */
@Injectable()
export class ChannelRegistry {
  private readonly byKind = new Map<StreamKind, Map<string, Channel>>();

  /** Makes `session` a follower of stream `key` of `kind`; returns the stream's channel. */
  join(kind: StreamKind, key: string, session: ClientSession): Channel {
    let channels = this.byKind.get(kind);
    if (!channels) this.byKind.set(kind, (channels = new Map()));
    let channel = channels.get(key);
    if (!channel) channels.set(key, (channel = new Channel(kind, key)));
    channel.add(session);
    return channel;
  }

  /** Stops `session` following `channel`; true when it was the last follower (the channel is then gone). */
  leave(channel: Channel, session: ClientSession): boolean {
    if (!channel.delete(session) || channel.size > 0) return false;
    const channels = this.byKind.get(channel.kind);
    if (channels?.get(channel.key) === channel) channels.delete(channel.key);
    return true;
  }

  get(kind: StreamKind, key: string): Channel | undefined {
    return this.byKind.get(kind)?.get(key);
  }

  /** The channel a bus message came on, if a session here follows it. */
  find(name: string): Channel | undefined {
    for (const [kind, channels] of this.byKind) {
      const key = kind.keyOf(name);
      if (key !== null) return channels.get(key);
    }
    return undefined;
  }

  /** How many sessions here follow stream `key` of `kind`. */
  count(kind: StreamKind, key: string): number {
    return this.get(kind, key)?.size ?? 0;
  }

  /** How many streams of `kind` are followed here. */
  sizeOf(kind: StreamKind): number {
    return this.byKind.get(kind)?.size ?? 0;
  }

  ofKind(kind: StreamKind): IterableIterator<Channel> {
    return (this.byKind.get(kind) ?? new Map<string, Channel>()).values();
  }

  kinds(): IterableIterator<StreamKind> {
    return this.byKind.keys();
  }
}
