import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A loopback TCP proxy that a test can cut and restore, so an app sees its
 * Postgres or Redis "go down" without stopping the shared server; or freeze
 * and thaw, so it sees the server stop answering without a reset.
 */
export class TcpProxy {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  /** Each connection's two ends, to stop and restart the flow between them. */
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  private up = true;
  private frozen = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      if (!this.up) return client.destroy();
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      const pair: [net.Socket, net.Socket] = [client, upstream];
      this.pairs.add(pair);
      if (!this.frozen) connectPair(pair);
      client.on('close', () => (upstream.destroy(), this.pairs.delete(pair)));
      upstream.on('close', () => client.destroy());
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Drops every open connection and refuses new ones. */
  cut(): void {
    this.up = false;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.up = true;
  }

  /**
   * Stops passing bytes, both ways, on every connection and on new ones,
   * which are still accepted: the server seems alive and never answers.
   */
  freeze(): void {
    if (this.frozen) return;
    this.frozen = true;
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** Passes bytes again, what was held first. Only once: a second pipe() would send every byte twice. */
  thaw(): void {
    if (!this.frozen) return;
    this.frozen = false;
    for (const pair of this.pairs) connectPair(pair);
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function connectPair([client, upstream]: [net.Socket, net.Socket]): void {
  client.pipe(upstream);
  upstream.pipe(client);
}
