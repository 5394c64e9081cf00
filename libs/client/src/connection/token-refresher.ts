import { expiresAtMs, refreshAtMs } from './jwt-expiry.js';
import { MAX_TIMER_MS, type Timers } from '../platform.js';
import type { TokenSource } from '../rest-client.js';

export interface TokenRefresherDeps {
  getToken: TokenSource;
  /** Sends `{ type: 'auth', token }` on the open socket. */
  sendAuth(token: string): void;
  onError(error: unknown): void;
  timers: Timers;
}

/** How long to wait before asking again when getToken hands back nothing fresher. */
export const RETRY_FRESH_TOKEN_MS = 5_000;

/**
 * Re-authenticates an open socket shortly before the token expires (the
 * `auth` frame), so a long-lived tab does not get closed with 4002 and lose
 * a round trip to a reconnect.
 */
export class TokenRefresher {
  private handle: unknown = null;
  /** Bumped by start/stop, so a refresh awaiting getToken knows it is stale. */
  private run = 0;
  /** Server clock minus ours: `exp` is issuer time, not the browser's. */
  private skewMs = 0;

  constructor(private readonly deps: TokenRefresherDeps) {}

  /** Watches `token`, the one the socket authenticated with. */
  start(token: string, skewMs = 0): void {
    this.stop();
    this.skewMs = skewMs;
    this.schedule(token, refreshAtMs(token));
  }

  stop(): void {
    this.run++;
    if (this.handle !== null) this.deps.timers.clearTimeout(this.handle);
    this.handle = null;
  }

  private now(): number {
    return this.deps.timers.now() + this.skewMs;
  }

  private schedule(token: string, atMs: number | null): void {
    if (atMs === null) return;
    const run = this.run;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, atMs - this.now()));
    this.handle = this.deps.timers.setTimeout(() => {
      this.handle = null;
      if (run === this.run) void this.refresh(token, atMs);
    }, delay);
  }

  private async refresh(current: string, atMs: number): Promise<void> {
    // A delay clamped to MAX_TIMER_MS wakes early: just sleep again.
    if (atMs > this.now()) return this.schedule(current, atMs);
    const run = this.run;
    let token: string;
    try {
      token = await this.deps.getToken();
    } catch (error) {
      this.deps.onError(error);
      return;
    }
    if (run !== this.run) return;
    const oldExp = expiresAtMs(current) ?? 0;
    if ((expiresAtMs(token) ?? 0) > oldExp) {
      this.deps.sendAuth(token);
      this.schedule(token, refreshAtMs(token));
    } else if (oldExp - this.now() > RETRY_FRESH_TOKEN_MS) {
      // getToken may still serve a cached token; ask again a little later.
      this.schedule(current, this.now() + RETRY_FRESH_TOKEN_MS);
    }
    // Otherwise the server closes with 4002 at exp and the client reconnects.
  }
}
