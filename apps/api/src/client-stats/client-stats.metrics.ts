import { Inject, Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { CLIENT_STATS_MAX_PER_REPORT, type ClientStatsReport } from '@herald/contracts';
import { Metrics } from '@herald/observability';

/**
 * The SDKs' own view of their connections, as counters on this api's
 * registry: `rate(herald_client_reconnects_total[5m])` and
 * `rate(herald_client_polling_fallbacks_total[5m])`, summed over api pods.
 */
@Injectable()
export class ClientStatsMetrics {
  private readonly reconnects: Counter;
  private readonly pollingFallbacks: Counter;

  constructor(@Inject(Metrics) metrics: Metrics) {
    this.reconnects = new Counter({ name: 'herald_client_reconnects_total', help: 'Reconnects reported by SDK clients (clamped per report)', registers: [metrics.registry] });
    this.pollingFallbacks = new Counter({
      name: 'herald_client_polling_fallbacks_total',
      help: 'Polling-fallback activations reported by SDK clients (clamped per report)',
      registers: [metrics.registry],
    });
  }

  record(report: ClientStatsReport): void {
    this.reconnects.inc(clamp(report.reconnects));
    this.pollingFallbacks.inc(clamp(report.pollingFallbacks));
  }
}

const clamp = (n: number) => Math.min(CLIENT_STATS_MAX_PER_REPORT, Math.max(0, Math.floor(n)));
