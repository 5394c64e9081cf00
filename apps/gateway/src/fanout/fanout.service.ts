import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Bus } from '@herald/bus';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import {
  broadcastChannel, multicastChannel, MulticastFrames, userIdFromChannel, type MulticastMessage, type ServerFrame,
} from '@herald/contracts';
import { SessionRegistry } from '../connection/session-registry.js';
import { UserStream } from '../streams/user-stream.js';

/**
 * Bus → sockets on this pod. Each message is parsed once and its original
 * JSON is written to every socket as is: one serialisation per message, not
 * one per socket.
 */
@Injectable()
export class FanoutService implements OnModuleInit {
  private readonly logger = new Logger(FanoutService.name);
  private readonly broadcast: string;
  private readonly multicast: string;

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(SessionRegistry) private readonly registry: SessionRegistry,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(UserStream) private readonly users: UserStream,
  ) {
    this.broadcast = broadcastChannel(config.redis.prefix);
    this.multicast = multicastChannel(config.redis.prefix);
  }

  onModuleInit(): void {
    this.bus.onMessage((channel, payload) => this.dispatch(channel, payload));
  }

  dispatch(channel: string, payload: string): void {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(payload) as ServerFrame;
    } catch {
      this.logger.warn(`dropped a malformed message on ${channel}`);
      return;
    }
    if (channel === this.multicast) return this.dispatchMulticast(frame as unknown as MulticastMessage);
    if (channel === this.broadcast) {
      for (const session of this.registry.all()) session.deliver(undefined, frame, payload);
      return;
    }
    const userId = userIdFromChannel(channel, this.config.redis.prefix);
    const sessions = userId === null ? undefined : this.registry.forUser(userId);
    if (!sessions) return;
    const stream = { kind: this.users, key: userId as string };
    for (const session of sessions) session.deliver(stream, frame, payload);
  }

  /** A many-recipient POST: each recipient with a socket here gets its own copy. */
  private dispatchMulticast({ shared, targets }: MulticastMessage): void {
    const copies = new MulticastFrames(shared);
    for (const target of targets) {
      const sessions = this.registry.forUser(target[0]);
      if (!sessions) continue;
      const frame = copies.frame(target);
      const raw = copies.json(target);
      const stream = { kind: this.users, key: target[0] };
      for (const session of sessions) session.deliver(stream, frame, raw);
    }
  }
}
