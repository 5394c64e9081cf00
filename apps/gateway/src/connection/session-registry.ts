import { Inject, Injectable } from '@nestjs/common';
import { ChannelRegistry, type Channel } from '../fanout/channel-registry.js';
import type { StreamKind } from '../streams/stream-kind.js';
import { UserStream } from '../streams/user-stream.js';
import type { ClientSession } from './client-session.js';

/**
 * The sockets on this pod, by user. Every socket follows its own user's
 * channel, so a user's sockets are that channel's followers in
 * ChannelRegistry: this is a view of that index, not a second one.
 */
@Injectable()
export class SessionRegistry {
  private total = 0;
  private readonly listeners: ((userId: string, count: number) => void)[] = [];

  constructor(
    @Inject(ChannelRegistry) private readonly channels: ChannelRegistry,
    @Inject(UserStream) private readonly userStream: StreamKind,
  ) {}

  /** Called after every change of a user's socket count here (presence reporting); must not throw. */
  onCountChange(listener: (userId: string, count: number) => void): void {
    this.listeners.push(listener);
  }

  get connectionCount(): number {
    return this.total;
  }

  get userCount(): number {
    return this.channels.sizeOf(this.userStream);
  }

  countFor(userId: string): number {
    return this.channels.count(this.userStream, userId);
  }

  /** The channel of `userId`'s stream, while the user has a socket here. */
  channelOf(userId: string): Channel | undefined {
    return this.channels.get(this.userStream, userId);
  }

  /** Adds the session as a follower of its user's channel, and returns that channel. */
  add(session: ClientSession): Channel {
    const channel = this.channels.join(this.userStream, session.userId, session);
    this.total++;
    this.changed(session.userId, channel.size);
    return channel;
  }

  /** Removes the session; returns its user's channel when it was the user's last socket here (to release it). */
  remove(session: ClientSession): Channel | undefined {
    const channel = this.channelOf(session.userId);
    if (!channel?.has(session)) return undefined;
    const last = this.channels.leave(channel, session);
    this.total--;
    this.changed(session.userId, channel.size);
    return last ? channel : undefined;
  }

  *users(): IterableIterator<string> {
    for (const channel of this.channels.ofKind(this.userStream)) yield channel.key;
  }

  *all(): IterableIterator<ClientSession> {
    for (const channel of this.channels.ofKind(this.userStream)) yield* channel;
  }

  private changed(userId: string, count: number): void {
    for (const listener of this.listeners) listener(userId, count);
  }
}
