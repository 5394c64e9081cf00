import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { CloseCode } from '@herald/contracts';
import { Metrics } from '@herald/observability';
import type { ClientSession } from './client-session.js';

/**
 * Closes sessions with a code (counted by code), and closes each one with
 * 4002 once its token expires unless an `auth` frame extended it first.
 * Expiries sit in one-second buckets swept by a single timer: one timer for
 * the pod rather than one per socket, which matters at 50k idle sockets.
 */
@Injectable()
export class SessionCloser implements OnModuleDestroy {
  private readonly buckets = new Map<number, Set<ClientSession>>();
  private lastSwept = nowSec();
  private readonly timer: NodeJS.Timeout;

  constructor(@Inject(Metrics) private readonly metrics: Metrics) {
    this.timer = setInterval(() => this.sweep(), 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  close(session: ClientSession, code: number, reason: string): void {
    if (session.isClosed) return;
    session.markClosed();
    this.forget(session);
    this.metrics.closes.labels(String(code)).inc();
    // A client that does not answer (a slow consumer stopped reading) is
    // cut CLOSE_GRACE_MS later by ws itself (see NotificationsGateway).
    session.ws.close(code, reason);
  }

  /** (Re)schedules the 4002 close for a token valid until `exp` (seconds). */
  watchExpiry(session: ClientSession, exp: number): void {
    this.forget(session);
    session.expiresAt = exp;
    if (exp <= this.lastSwept) {
      setImmediate(() => this.close(session, CloseCode.TokenExpired, 'token expired'));
      return;
    }
    let bucket = this.buckets.get(exp);
    if (!bucket) this.buckets.set(exp, (bucket = new Set()));
    bucket.add(session);
  }

  forget(session: ClientSession): void {
    const bucket = this.buckets.get(session.expiresAt);
    if (bucket?.delete(session) && bucket.size === 0) this.buckets.delete(session.expiresAt);
  }

  /** Closes every session whose `exp` has come (jsonwebtoken's rule: expired once now ≥ exp). */
  sweep(now = nowSec()): void {
    for (let sec = this.lastSwept + 1; sec <= now; sec++) {
      const due = this.buckets.get(sec);
      if (!due) continue;
      this.buckets.delete(sec);
      for (const session of due) this.close(session, CloseCode.TokenExpired, 'token expired');
    }
    this.lastSwept = Math.max(this.lastSwept, now);
  }
}

const nowSec = () => Math.floor(Date.now() / 1000);
