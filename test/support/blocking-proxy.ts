import { connect, createServer, type Server, type Socket } from 'node:net';

/** What a proxy that filters WebSockets answers instead of `101 Switching Protocols`. */
const REFUSAL = 'HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 19\r\nConnection: close\r\n\r\nWebSockets blocked\n';

/**
 * A loopback TCP proxy in front of one gateway that can be told to block
 * WebSockets, like a corporate proxy that does: while blocked it cuts the
 * open connections and answers every new one with 403, and the gateway
 * behind it stays up.
 */
export class BlockingProxy {
  private blocked = false;
  private readonly open = new Set<Socket>();
  private readonly server: Server;

  private constructor(targetPort: number) {
    this.server = createServer((client) => this.accept(client, targetPort));
  }

  static async start(targetPort: number): Promise<BlockingProxy> {
    const proxy = new BlockingProxy(targetPort);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  block(): void {
    this.blocked = true;
    this.cutAll();
  }

  unblock(): void {
    this.blocked = false;
  }

  async close(): Promise<void> {
    this.blocked = true;
    const closed = new Promise((resolve) => this.server.close(resolve));
    this.cutAll();
    await closed;
  }

  private cutAll(): void {
    for (const socket of this.open) socket.destroy();
  }

  private accept(client: Socket, targetPort: number): void {
    this.track(client);
    if (this.blocked) {
      client.end(REFUSAL);
      return;
    }
    const upstream = this.track(connect(targetPort, '127.0.0.1'));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  }

  /** Every socket, refused ones too: a half-closed one would keep close() waiting. */
  private track(socket: Socket): Socket {
    socket.on('error', () => socket.destroy());
    this.open.add(socket);
    socket.once('close', () => this.open.delete(socket));
    return socket;
  }
}
