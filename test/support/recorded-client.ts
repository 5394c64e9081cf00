import { WebSocket, type ClientOptions } from 'ws';
import { HeraldClient, type ChangeFrame, type HeraldClientOptions, type Notification, type WebSocketConstructor } from '@herald/client';

/** `ws` with options every socket of a test needs (e.g. the CA of a test TLS cert). */
export function webSocketWith(extra: ClientOptions, urls: string[] = []): WebSocketConstructor {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[], options?: ClientOptions) {
      urls.push(url);
      super(url, protocols, { ...options, ...extra });
    }
  };
}

/**
 * A HeraldClient on Node's `ws` that records what it emits and every socket
 * URL it opened, with waits that fail with what did arrive.
 */
export class RecordedClient {
  readonly client: HeraldClient;
  readonly notifications: Notification[] = [];
  readonly states: string[] = [];
  readonly unread: number[] = [];
  readonly updated: { id: string; readAt: string | null }[] = [];
  readonly readAll: string[] = [];
  readonly errors: Error[] = [];
  /** Inbox changes, in stream order. */
  readonly changes: ChangeFrame[] = [];
  readonly socketUrls: string[] = [];
  private waiters = new Set<() => void>();

  constructor(options: HeraldClientOptions, socketOptions: ClientOptions = {}) {
    this.client = new HeraldClient({ WebSocket: webSocketWith(socketOptions, this.socketUrls), ...options });
    const record = <T>(list: T[]) => (value: T) => {
      list.push(value);
      for (const wake of this.waiters) wake();
    };
    this.client.on('notification', record(this.notifications));
    this.client.on('state', record(this.states));
    this.client.on('unread', record(this.unread));
    this.client.on('updated', record(this.updated));
    this.client.on('readAll', ({ readAt }) => record(this.readAll)(readAt));
    this.client.on('error', record(this.errors));
    this.client.on('change', record(this.changes));
    // Waits on client.inbox re-check after every change to it.
    this.client.on('inbox', () => this.waiters.forEach((wake) => wake()));
  }

  seqs(): number[] {
    return this.notifications.map((n) => n.seq);
  }

  /** Connects and waits for `open` (welcome received). */
  async open(timeoutMs = 10_000): Promise<this> {
    this.client.connect();
    await this.until(() => this.client.state === 'open', 'state open', timeoutMs);
    return this;
  }

  waitForSeqs(count: number, timeoutMs = 10_000): Promise<void> {
    return this.until(() => this.notifications.length >= count, `${count} notifications`, timeoutMs);
  }

  /** Resolves once `check` holds after some event (or at once). */
  until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = () => {
        if (!check()) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        const seen = { state: this.client.state, seqs: this.seqs(), states: this.states, unread: this.unread, errors: this.errors.map((e) => e.message) };
        reject(new Error(`timed out waiting for ${what}; saw ${JSON.stringify(seen)}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      this.waiters.add(wake);
    });
  }

  close(): void {
    this.client.close();
  }
}
