import { Inject, Injectable } from '@nestjs/common';
import { CloseCode } from '@herald/contracts';
import { Metrics } from '@herald/observability';
import type { ClientSession } from './client-session.js';

/** setTimeout's ceiling; a later expiry is re-armed when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** How long a slow consumer gets to take its close frame before the TCP connection is cut. */
const SLOW_CONSUMER_GRACE_MS = 2000;

/**
 * Closes sessions with a code (counted by code) and closes each one with
 * 4002 when its token expires, unless an `auth` frame extended it first.
 */
@Injectable()
export class SessionCloser {
  private readonly expiryTimers = new WeakMap<ClientSession, NodeJS.Timeout>();

  constructor(@Inject(Metrics) private readonly metrics: Metrics) {}

  close(session: ClientSession, code: number, reason: string): void {
    if (session.isClosed) return;
    session.markClosed();
    this.metrics.closes.labels(String(code)).inc();
    session.ws.close(code, reason);
    if (code === CloseCode.SlowConsumer) {
      // A client that stopped reading will not answer the close handshake
      // either; don't let it pin its send buffer for ws's 30 s close timeout.
      setTimeout(() => session.ws.terminate(), SLOW_CONSUMER_GRACE_MS).unref();
    }
  }

  /** (Re)arms the expiry timer for a token valid until `exp` (seconds). */
  watchExpiry(session: ClientSession, exp: number): void {
    session.expiresAt = exp;
    clearTimeout(this.expiryTimers.get(session));
    const delay = Math.min(Math.max(exp * 1000 - Date.now(), 0), MAX_TIMER_MS);
    const timer = setTimeout(() => {
      if (session.expiresAt * 1000 > Date.now()) return this.watchExpiry(session, session.expiresAt);
      this.close(session, CloseCode.TokenExpired, 'token expired');
    }, delay);
    timer.unref();
    this.expiryTimers.set(session, timer);
  }

  forget(session: ClientSession): void {
    clearTimeout(this.expiryTimers.get(session));
    this.expiryTimers.delete(session);
  }
}
