import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import type { ClientSession } from './client-session.js';
import { SessionRegistry } from './session-registry.js';

/** Pings go out in slices this far apart. */
const SLICE_MS = 50;

/**
 * WebSocket-level ping every heartbeat interval; a socket that has not
 * answered the previous ping is dead (half-open TCP, sleeping laptop) and is
 * terminated so its subscription and memory are released.
 *
 * A round pings every socket once, spread over the interval in 50 ms slices:
 * pinging 10,000 sockets in one go is 10,000 writes (and then as many pongs)
 * in one event-loop turn, a stall every interval that the end-to-end
 * benchmark's p99 showed.
 */
@Injectable()
export class HeartbeatService implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private round: ClientSession[] = [];
  private next = 0;
  private roundStartedAt = Number.NEGATIVE_INFINITY;

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(SessionRegistry) private readonly registry: SessionRegistry,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => this.tick(), Math.min(SLICE_MS, this.config.gateway.heartbeatMs));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One slice: starts a round once the last one is done and an interval has passed. */
  tick(now = Date.now()): void {
    const intervalMs = this.config.gateway.heartbeatMs;
    if (this.next >= this.round.length) {
      if (now - this.roundStartedAt < intervalMs) return;
      this.round = [...this.registry.all()];
      this.next = 0;
      this.roundStartedAt = now;
    }
    const slices = Math.max(1, Math.floor(intervalMs / SLICE_MS));
    const end = Math.min(this.round.length, this.next + Math.ceil(this.round.length / slices));
    for (; this.next < end; this.next++) this.check(this.round[this.next]);
  }

  private check(session: ClientSession): void {
    if (session.isClosed) return;
    if (!session.alive) {
      session.ws.terminate();
      return;
    }
    session.alive = false;
    session.ws.ping();
  }
}
