/**
 * `POST /v1/client-stats`: what an SDK reports about its own connection,
 * as counts since its previous report, so `/metrics` can show how often
 * clients reconnect and fall back to polling. Clients are untrusted: the
 * api clamps each count and takes one report per user per interval.
 */
export interface ClientStatsReport {
  /** Sockets that had reached `welcome` and dropped, so the client connected again. */
  reconnects: number;
  /** Times the client went from a socket to REST polling. */
  pollingFallbacks: number;
}

/** The most one report may add to each counter; more is clamped. */
export const CLIENT_STATS_MAX_PER_REPORT = 20;
/** The api accepts one report per user this often (per api process); sooner is 429. */
export const CLIENT_STATS_MIN_INTERVAL_SECONDS = 10;
/** How often the SDK reports, when it has anything to report. */
export const CLIENT_STATS_REPORT_INTERVAL_SECONDS = 60;
