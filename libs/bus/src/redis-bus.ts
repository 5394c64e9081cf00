import { Redis } from 'ioredis';
import { Bus, type BusMessage, type BusMessageHandler } from './bus.js';
import { whenAllReady } from './redis-client.js';

type Waiter = { resolve: () => void; reject: (e: unknown) => void };

export interface RedisBusOptions {
  url: string;
  /** Connection name shown in CLIENT LIST, e.g. `herald-gateway`. */
  name: string;
}

/**
 * Redis pub/sub. Publishing and subscribing use separate connections: a
 * subscribed connection cannot run other commands in RESP2, and keeping
 * them apart means a burst of publishes never delays incoming messages.
 * ioredis re-subscribes by itself after a reconnect; we tell the listener
 * so it can re-read what was published while the connection was down.
 */
export class RedisBus extends Bus {
  readonly publisher: Redis;
  private readonly subscriber: Redis;
  private handler: BusMessageHandler = () => undefined;
  private resubscribed: () => void = () => undefined;
  private lostSubscriber = false;
  /** Channels to SUBSCRIBE on the next turn, with the callers waiting on them. */
  private pendingSubscribe: { channels: string[]; waiting: Waiter[] } | undefined;

  constructor({ url, name }: RedisBusOptions) {
    super();
    const options = { connectionName: name, maxRetriesPerRequest: 1, connectTimeout: 5000 };
    // No offline queue for commands: during an outage a publish (or a ticket,
    // or a rate-limit count) fails at once instead of holding the POST for
    // the length of the outage; the rows are the truth and resume repairs
    // delivery. The subscriber keeps its queue so it can re-subscribe.
    // Auto-pipelining sends the commands issued in one tick (a rate-limit
    // count per concurrent POST, ticket and presence calls) in one write.
    this.publisher = new Redis(url, { ...options, enableOfflineQueue: false, enableAutoPipelining: true });
    this.subscriber = new Redis(url, { ...options, connectionName: `${name}-sub`, autoResubscribe: true });
    this.publisher.on('error', () => undefined);
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (channel: string, payload: string) => this.handler(channel, payload));
    this.subscriber.on('close', () => {
      this.lostSubscriber = true;
    });
    this.subscriber.on('ready', () => {
      if (!this.lostSubscriber) return;
      this.lostSubscriber = false;
      // ioredis re-sends SUBSCRIBE on ready; a PING queued behind them answers
      // only once they are live, so the listener's re-read cannot miss a message.
      this.subscriber.ping().then(
        () => this.resubscribed(),
        () => undefined,
      );
    });
  }

  /** Resolves when both connections are up, or after `timeoutMs` regardless (see whenAllReady). */
  async whenReady(timeoutMs: number): Promise<void> {
    await whenAllReady([this.publisher, this.subscriber], timeoutMs);
  }

  async publish(messages: BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    if (messages.length === 1) {
      await this.publisher.publish(messages[0].channel, messages[0].payload);
      return;
    }
    const pipeline = this.publisher.pipeline();
    for (const m of messages) pipeline.publish(m.channel, m.payload);
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0];
  }

  /**
   * Subscribes in one SUBSCRIBE for every call made in the same event-loop
   * turn: in a reconnect storm thousands of users arrive per second, each
   * wanting their channel. Resolves once Redis confirmed all of them.
   */
  subscribe(channels: string[]): Promise<void> {
    if (channels.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      if (!this.pendingSubscribe) {
        const batch: { channels: string[]; waiting: Waiter[] } = (this.pendingSubscribe = { channels: [], waiting: [] });
        setImmediate(() => {
          this.pendingSubscribe = undefined;
          this.subscriber.subscribe(...batch.channels).then(
            () => batch.waiting.forEach((w) => w.resolve()),
            (err: unknown) => batch.waiting.forEach((w) => w.reject(err)),
          );
        });
      }
      this.pendingSubscribe.channels.push(...channels);
      this.pendingSubscribe.waiting.push({ resolve, reject });
    });
  }

  async unsubscribe(channels: string[]): Promise<void> {
    if (channels.length) await this.subscriber.unsubscribe(...channels);
  }

  onMessage(handler: BusMessageHandler): void {
    this.handler = handler;
  }

  onResubscribed(handler: () => void): void {
    this.resubscribed = handler;
  }

  isReady(): boolean {
    return this.publisher.status === 'ready' && this.subscriber.status === 'ready';
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}
