import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Bus } from '@herald/bus';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { broadcastChannel, multicastChannel, MulticastFrames, type MulticastMessage, type ServerFrame } from '@herald/contracts';
import { SessionRegistry } from '../connection/session-registry.js';
import { ChannelRegistry } from './channel-registry.js';

/**
 * Bus → sockets on this pod. Each message is parsed once and its original
 * JSON is written to every socket as is: one serialisation per message, not
 * one per socket. A stream's message goes to the sessions following its
 * channel (one lookup, whatever the kind of stream); the channels every
 * gateway listens on have a handler each.
 */
@Injectable()
export class FanoutService implements OnModuleInit {
  private readonly logger = new Logger(FanoutService.name);
  private readonly shared: ReadonlyMap<string, (message: unknown, payload: string) => void>;

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(ChannelRegistry) private readonly channels: ChannelRegistry,
    @Inject(SessionRegistry) private readonly registry: SessionRegistry,
    @Inject(HERALD_CONFIG) config: HeraldConfig,
  ) {
    this.shared = new Map([
      [broadcastChannel(config.redis.prefix), (frame, payload) => this.dispatchBroadcast(frame as ServerFrame, payload)],
      [multicastChannel(config.redis.prefix), (message) => this.dispatchMulticast(message as MulticastMessage)],
    ]);
  }

  onModuleInit(): void {
    this.bus.onMessage((channel, payload) => this.dispatch(channel, payload));
  }

  dispatch(channel: string, payload: string): void {
    let message: unknown;
    try {
      message = JSON.parse(payload);
    } catch {
      this.logger.warn(`dropped a malformed message on ${channel}`);
      return;
    }
    const followed = this.channels.find(channel);
    if (followed) {
      for (const session of followed) session.deliver(followed, message as ServerFrame, payload);
      return;
    }
    this.shared.get(channel)?.(message, payload);
  }

  /** Every socket here, live only: a broadcast belongs to no stream. */
  private dispatchBroadcast(frame: ServerFrame, payload: string): void {
    for (const session of this.registry.all()) session.deliver(undefined, frame, payload);
  }

  /** A many-recipient POST: each recipient with a socket here gets its own copy. */
  private dispatchMulticast({ shared, targets }: MulticastMessage): void {
    const copies = new MulticastFrames(shared);
    for (const target of targets) {
      const channel = this.registry.channelOf(target[0]);
      if (!channel) continue;
      const frame = copies.frame(target);
      const raw = copies.json(target);
      for (const session of channel) session.deliver(channel, frame, raw);
    }
  }
}
