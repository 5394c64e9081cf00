import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import type { ClientSession } from './client-session.js';
import { SessionRegistry } from './session-registry.js';

/** The clock: one slice of the round per tick. */
const TICK_MS = 50;

/**
 * WebSocket-level ping every heartbeat interval; a socket that has not
 * answered the previous ping is dead (half-open TCP, sleeping laptop) and is
 * terminated so its subscription and memory are released.
 *
 * A round pings every socket once, spread evenly over the ticks of the
 * interval (2,500 sockets at 25 s: 5 or 6 pings every 50 ms). A ping is a socket
 * write, and a frame that arrives during a slice waits for all of it:
 * 10,000 pings in one turn stalled the load clients for up to a second, and
 * slices of 200 still held a gateway for several milliseconds every ~1.7 s,
 * the longest stalls in its profile at 1,000 frames/s, lengthening the
 * frames' tail after the api (docs/benchmarks.md, round 14). The tick runs
 * anyway, so smaller slices add no wake-ups on the gateway.
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
  /** Slices in this round; slice k ends at socket ceil((k + 1) * n / slices), so they differ by one at most. */
  private slices = 1;
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
    // Every slice whose time has come: more than one after a tick that came late (a busy loop), so the round still ends in time.
    const due = Math.floor((now - this.roundStartedAt) / this.sliceSpacingMs) + 1;
    const end = Math.min(this.round.length, Math.ceil((due * this.round.length) / this.slices));
    for (; this.next < end; this.next++) this.check(this.round[this.next], now, intervalMs);
  }

  private startRound(now: number, intervalMs: number): void {
    this.round = [...this.registry.all()];
    this.next = 0;
    this.roundStartedAt = now;
    const ticks = Math.max(1, Math.floor((0.9 * intervalMs) / TICK_MS));
    this.slices = Math.min(ticks, Math.max(1, this.round.length));
    // The slices fill the first 90 % of the interval, so a round ends before the next is due.
    this.sliceSpacingMs = (0.9 * intervalMs) / this.slices;
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
