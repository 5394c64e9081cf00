import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import type { ClientSession } from './client-session.js';
import { SessionRegistry } from './session-registry.js';

/** The clock: slices start on these ticks, never closer together. */
const TICK_MS = 50;
/** Most pings in one slice. */
const MAX_PINGS_PER_SLICE = 200;

/**
 * WebSocket-level ping every heartbeat interval; a socket that has not
 * answered the previous ping is dead (half-open TCP, sleeping laptop) and is
 * terminated so its subscription and memory are released.
 *
 * A round pings every socket once, spread over the interval in slices of at
 * most 200: pinging 10,000 sockets in one go is 10,000 writes (and then as
 * many pongs) in one event-loop turn, a stall every interval that the
 * end-to-end benchmark's p99 showed. Slices are no smaller than that,
 * though: fewer, larger slices mean fewer wake-ups on both ends.
 *
 * A socket's place in the round moves forward when sockets before it close,
 * so it can come up again soon after its last ping: it is judged only once
 * that ping is half an interval old.
 */
@Injectable()
export class HeartbeatService implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private round: ClientSession[] = [];
  private next = 0;
  private roundStartedAt = Number.NEGATIVE_INFINITY;
  private sliceSize = 1;
  private sliceSpacingMs = 0;

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(SessionRegistry) private readonly registry: SessionRegistry,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => this.tick(), Math.min(TICK_MS, this.config.gateway.heartbeatMs));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Starts a round once the last one is done and an interval has passed, then pings each slice when its time comes. */
  tick(now = Date.now()): void {
    const intervalMs = this.config.gateway.heartbeatMs;
    if (this.next >= this.round.length) {
      if (now - this.roundStartedAt < intervalMs) return;
      this.startRound(now, intervalMs);
    }
    const slice = Math.floor(this.next / this.sliceSize);
    if (now - this.roundStartedAt < slice * this.sliceSpacingMs) return;
    const end = Math.min(this.round.length, this.next + this.sliceSize);
    for (; this.next < end; this.next++) this.check(this.round[this.next], now, intervalMs);
  }

  private startRound(now: number, intervalMs: number): void {
    this.round = [...this.registry.all()];
    this.next = 0;
    this.roundStartedAt = now;
    const maxSlices = Math.max(1, Math.floor(intervalMs / TICK_MS));
    const slices = Math.min(maxSlices, Math.max(1, Math.ceil(this.round.length / MAX_PINGS_PER_SLICE)));
    this.sliceSize = Math.max(1, Math.ceil(this.round.length / slices));
    // The slices fill the first 90 % of the interval, so a round ends before the next is due.
    this.sliceSpacingMs = (0.9 * intervalMs) / slices;
  }

  private check(session: ClientSession, now: number, intervalMs: number): void {
    if (session.isClosed) return;
    if (!session.alive) {
      if (now - session.pingedAt >= intervalMs / 2) session.ws.terminate();
      return;
    }
    session.alive = false;
    session.pingedAt = now;
    session.ws.ping();
  }
}
