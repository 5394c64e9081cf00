import { Inject, Injectable } from '@nestjs/common';
import { Bus } from '@herald/bus';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { userChannel } from '@herald/contracts';
import { SessionRegistry } from '../connection/session-registry.js';

/**
 * Reference-counted user channel subscriptions: subscribed while the user
 * has at least one socket on this pod. Operations for one user run one after
 * another and act on the registry's state at that moment, so a socket that
 * leaves while its SUBSCRIBE is in flight cannot leave a stale subscription.
 */
@Injectable()
export class UserSubscriptions {
  private readonly subscribed = new Set<string>();
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(SessionRegistry) private readonly registry: SessionRegistry,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  /** Resolves once the user's channel is subscribed (the broker confirmed it). */
  acquire(userId: string): Promise<void> {
    return this.run(userId, async () => {
      if (this.registry.countFor(userId) > 0 && !this.subscribed.has(userId)) {
        await this.bus.subscribe([userChannel(userId, this.config.redis.prefix)]);
        this.subscribed.add(userId);
      }
    });
  }

  /** Unsubscribes if the user has no socket left here. */
  release(userId: string): void {
    void this.run(userId, async () => {
      if (this.registry.countFor(userId) === 0 && this.subscribed.has(userId)) {
        this.subscribed.delete(userId);
        await this.bus.unsubscribe([userChannel(userId, this.config.redis.prefix)]);
      }
    }).catch(() => undefined);
  }

  isSubscribed(userId: string): boolean {
    return this.subscribed.has(userId);
  }

  private run(userId: string, op: () => Promise<void>): Promise<void> {
    const next = (this.chains.get(userId) ?? Promise.resolve()).then(op, op);
    const settled = next.catch(() => undefined);
    this.chains.set(userId, settled);
    void settled.then(() => {
      if (this.chains.get(userId) === settled) this.chains.delete(userId);
    });
    return next;
  }
}
