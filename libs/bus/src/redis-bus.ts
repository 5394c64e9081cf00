import type { Redis } from 'ioredis';
import type { BusMessage } from './bus.js';
import type { RedisClient } from './redis-client.js';
import { withDeadline } from './redis-deadline.js';
import { RedisPubSubBus } from './redis-pubsub-bus.js';
import type { StandaloneRedisConnection } from './standalone-redis-connection.js';

/**
 * Redis pub/sub on one Redis. Publishes go down the process's command
 * connection, subscriptions down a subscriber connection of this bus.
 * ioredis re-subscribes by itself after a reconnect; we tell the listener
 * so it can re-read what was published while the connection was down.
 */
export class RedisBus extends RedisPubSubBus<StandaloneRedisConnection> {
  private readonly subscriber: Redis;
  private lostSubscriber = false;

  constructor(connection: StandaloneRedisConnection) {
    super(connection);
    this.subscriber = connection.createSubscriber({ autoResubscribe: true });
    this.subscriber.on('message', this.deliver);
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

  /** Waits at most the command timeout; a publish still pending then goes out, in order, when Redis answers. */
  async publish(messages: BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await withDeadline(this.send(messages), this.connection.commandTimeoutMs, 'publish');
  }

  private async send(messages: BusMessage[]): Promise<void> {
    if (messages.length === 1) {
      await this.connection.client.publish(messages[0].channel, messages[0].payload);
      return;
    }
    const pipeline = this.connection.client.pipeline();
    for (const m of messages) pipeline.publish(m.channel, m.payload);
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0];
  }

  async unsubscribe(channels: string[]): Promise<void> {
    if (channels.length) await this.subscriber.unsubscribe(...channels);
  }

  /** One SUBSCRIBE for the whole turn: every channel shares its outcome. */
  protected subscribeBatch(channels: string[]): Promise<unknown>[] {
    const done = this.subscriber.subscribe(...channels);
    return channels.map(() => done);
  }

  protected subscribers(): RedisClient[] {
    return [this.subscriber];
  }
}
