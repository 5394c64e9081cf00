import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Metrics } from './metrics.js';

/**
 * `GET /metrics` on a port of its own (HERALD_METRICS_PORT), never on the
 * public one: the public port has no metrics route at all, so no spelling of
 * the path (`/METRICS`, `/metrics/`, `//metrics`, `%6Detrics`) can reach it
 * through a proxy, and a NetworkPolicy can let Prometheus in to this port
 * alone. Plain node:http, so it is the same in every process and under any
 * HTTP adapter.
 */
@Injectable()
export class MetricsServer implements OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server: Server | undefined;

  constructor(@Inject(Metrics) private readonly metrics: Metrics) {}

  /** Listens on `port` (0: any free one) at `host` (undefined: every interface); resolves with the port. */
  async listen(port: number, host?: string): Promise<number> {
    const server = (this.server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      this.metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.metrics.registry.contentType, 'cache-control': 'no-store' }).end(text),
        (err: Error) => {
          this.logger.error(`metrics collection failed: ${err.message}`);
          res.writeHead(500).end();
        },
      );
    }));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise((resolve) => server.close(resolve));
  }
}
