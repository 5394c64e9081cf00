import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PresenceStore } from '@herald/bus';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import type { GatewayStats } from '@herald/contracts';
import { SessionRegistry } from '../connection/session-registry.js';

/**
 * Makes this gateway visible to `GET /v1/stats` and presence: a report every
 * interval, and each user's socket count here as soon as it changes
 * (batched per event-loop turn). Reports
 * continue through a drain (the sockets are still here); the report and the
 * counts are removed once the sockets are gone, before the bus closes.
 */
@Injectable()
export class PresenceReporter implements OnModuleInit, OnApplicationShutdown {
  /** Pod name (hostname in Kubernetes) plus a random suffix: new on every start. */
  readonly gatewayId = `${hostname()}-${randomBytes(4).toString('hex')}`;
  readonly startedAt = new Date().toISOString();
  private readonly logger = new Logger(PresenceReporter.name);
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private reported = false;
  /** A count write failed: rewrite all counts after the next good report. */
  private dirty = false;
  private ticking: Promise<void> | undefined;
  /** Users whose count changed since the last write, written together. */
  private readonly changed = new Set<string>();
  private flushScheduled = false;

  constructor(
    @Inject(PresenceStore) private readonly store: PresenceStore,
    @Inject(SessionRegistry) private readonly registry: SessionRegistry,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.registry.onCountChange((userId) => this.countChanged(userId));
    this.timer = setInterval(() => void this.tick(), this.config.gateway.reportIntervalMs);
    this.timer.unref();
    await this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop();
    await this.ticking;
    await this.store.removeGateway(this.gatewayId).catch((err: Error) => this.logger.warn(`presence cleanup failed: ${err.message}`));
  }

  /** Stops reporting and writing counts: to readers this gateway now looks dead. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  report(): GatewayStats {
    return {
      id: this.gatewayId,
      connections: this.registry.connectionCount,
      users: this.registry.userCount,
      startedAt: this.startedAt,
    };
  }

  /** One report; overlapping ticks (a slow Redis) are skipped, not queued. */
  tick(): Promise<void> {
    if (this.stopped || this.ticking) return this.ticking ?? Promise.resolve();
    this.ticking = this.reportOnce().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async reportOnce(): Promise<void> {
    const interval = this.config.gateway.reportIntervalMs;
    try {
      const dropped = await this.store.report(this.report(), interval);
      // Dropped after our first report means a peer swept us as dead (we were
      // silent too long): our counts are gone, so write them all again.
      if ((dropped && this.reported) || this.dirty) {
        this.dirty = false;
        await this.store.resync(this.gatewayId, () => this.counts());
      }
      this.reported = true;
      // Gateways that crashed are reaped by the survivors, two intervals after
      // they stopped counting (about when their report key expires).
      await this.store.sweep(2 * interval);
    } catch (err) {
      this.dirty = true;
      this.logger.warn(`presence report failed: ${(err as Error).message}`);
    }
  }

  /**
   * Counts are written once per event-loop turn for every user that changed
   * in it: a reconnect storm brings thousands of sockets a second, and one
   * Redis round trip each cost more CPU than the rest of the handshake. The
   * count written is the one at write time, so the last change always wins.
   */
  private countChanged(userId: string): void {
    if (this.stopped) return;
    this.changed.add(userId);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.writeChangedCounts());
  }

  private writeChangedCounts(): void {
    this.flushScheduled = false;
    if (this.stopped) return;
    const counts = [...this.changed].map((userId): [string, number] => [userId, this.registry.countFor(userId)]);
    this.changed.clear();
    this.store.setUserCounts(this.gatewayId, counts).catch(() => {
      this.dirty = true;
    });
  }

  private *counts(): Iterable<[string, number]> {
    for (const userId of this.registry.users()) yield [userId, this.registry.countFor(userId)];
  }
}
