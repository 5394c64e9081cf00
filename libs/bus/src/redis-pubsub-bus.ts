import { Bus, type BusMessageHandler } from './bus.js';
import type { RedisConnection } from './redis-connection.js';
import { whenAllReady, type RedisClient } from './redis-client.js';
import { SubscribeBatch } from './subscribe-batch.js';

/**
 * What RedisBus and RedisClusterBus share: publishing goes through the
 * process's command connection, subscribing through subscriber connections
 * of their own (see RedisConnection), with the subscribe calls of one turn
 * sent together, one message handler, and the signal that subscriptions are
 * live again after an outage. Each subclass says how a turn's channels are
 * subscribed and which clients it subscribes on.
 */
export abstract class RedisPubSubBus<C extends RedisConnection> extends Bus {
  private handler: BusMessageHandler = () => undefined;
  private resubscribedHandler: () => void = () => undefined;
  private readonly batch = new SubscribeBatch((channels) => this.subscribeBatch(channels));

  /** `connection`: the process's command connection, owned by BusModule. */
  protected constructor(protected readonly connection: C) {
    super();
  }

  /**
   * Subscribes in one go for every call made in the same event-loop turn
   * (see SubscribeBatch); resolves once Redis confirmed this call's channels.
   */
  subscribe(channels: string[]): Promise<void> {
    return this.batch.add(channels);
  }

  onMessage(handler: BusMessageHandler): void {
    this.handler = handler;
  }

  onResubscribed(handler: () => void): void {
    this.resubscribedHandler = handler;
  }

  /** Resolves when the command connection and the subscribers are up, or after `timeoutMs` regardless (see whenAllReady). */
  async whenReady(timeoutMs: number): Promise<void> {
    await Promise.all([this.connection.whenReady(timeoutMs), whenAllReady(this.subscribers(), timeoutMs)]);
  }

  /** The command connection and every subscriber are usable. */
  isReady(): boolean {
    return this.connection.isReady() && this.subscribers().every((s) => s.status === 'ready');
  }

  /** Closes the subscribers; the command connection belongs to BusModule, which closes it after. */
  async close(): Promise<void> {
    for (const subscriber of this.subscribers()) subscriber.disconnect();
  }

  /** Hands an incoming message to the handler; bound, to be passed to `on('message')`. */
  protected readonly deliver = (channel: string, payload: string): void => this.handler(channel, payload);

  /** Tells the listener its subscriptions are live again and it must re-read what it missed. */
  protected resubscribed(): void {
    this.resubscribedHandler();
  }

  /** Sends one turn's SUBSCRIBEs; one outcome per channel (see SubscribeFlush). */
  protected abstract subscribeBatch(channels: string[]): Promise<unknown>[];

  /** The clients this bus subscribes on, now. */
  protected abstract subscribers(): RedisClient[];
}
