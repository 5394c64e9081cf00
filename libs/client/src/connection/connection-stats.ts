import { CLIENT_STATS_MAX_PER_REPORT, type ClientStatsReport } from '@herald/contracts';
import { ConnectionState } from '../connection-state.js';
import type { RestClient } from '../rest-client.js';
import type { Timers } from '../platform.js';

/** Counts kept while reports fail; the server clamps each report anyway. */
const MAX_PENDING = CLIENT_STATS_MAX_PER_REPORT;

/**
 * Counts what the socket went through, from its state changes, and reports
 * the counts to `POST /v1/client-stats` at most once per `intervalMs`, and
 * only when there is something to say: a healthy client sends nothing.
 * Only the tab that holds the socket counts (a follower's states mirror
 * the leader's), so a browser reports each reconnect once.
 */
export class ConnectionStats {
  private previous: ConnectionState = ConnectionState.Closed;
  private pending: ClientStatsReport = { reconnects: 0, pollingFallbacks: 0 };
  private timer: unknown = null;

  constructor(
    private readonly rest: RestClient,
    private readonly timers: Timers,
    /** 0 turns reporting off. */
    private readonly intervalMs: number,
  ) {}

  /** The socket's state changed to `state`. */
  observe(state: ConnectionState): void {
    const from = this.previous;
    this.previous = state;
    if (from === ConnectionState.Open && (state === ConnectionState.Reconnecting || state === ConnectionState.Polling)) {
      this.count('reconnects');
    }
    if (state === ConnectionState.Polling && from !== ConnectionState.Polling) this.count('pollingFallbacks');
    if (state === ConnectionState.Closed) this.cancel();
    else if (this.hasPending() && this.timer === null) this.schedule();
  }

  private count(name: keyof ClientStatsReport): void {
    if (this.intervalMs > 0) this.pending[name] = Math.min(MAX_PENDING, this.pending[name] + 1);
  }

  private hasPending(): boolean {
    return this.pending.reconnects > 0 || this.pending.pollingFallbacks > 0;
  }

  private schedule(): void {
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.intervalMs);
  }

  private async flush(): Promise<void> {
    const report = this.pending;
    this.pending = { reconnects: 0, pollingFallbacks: 0 };
    try {
      await this.rest.request('POST', '/v1/client-stats', {}, {}, report);
    } catch {
      // Down (that may be why we count) or refused: keep the counts for the next try.
      this.pending = {
        reconnects: Math.min(MAX_PENDING, this.pending.reconnects + report.reconnects),
        pollingFallbacks: Math.min(MAX_PENDING, this.pending.pollingFallbacks + report.pollingFallbacks),
      };
    }
    if (this.hasPending() && this.timer === null && this.previous !== ConnectionState.Closed) this.schedule();
  }

  private cancel(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
