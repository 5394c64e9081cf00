import { Bus, type BusMessage, type BusMessageHandler } from './bus.js';

/**
 * The bus of embedded mode (no REDIS_URL): api and gateway live in one
 * process, so a message only has to reach this process's subscriptions.
 * Delivery is asynchronous, like Redis, so callers cannot come to rely on
 * publish() having delivered before it returns.
 */
export class InProcessBus extends Bus {
  private readonly channels = new Set<string>();
  private handler: BusMessageHandler = () => undefined;

  async publish(messages: BusMessage[]): Promise<void> {
    queueMicrotask(() => {
      for (const m of messages) if (this.channels.has(m.channel)) this.handler(m.channel, m.payload);
    });
  }

  async subscribe(channels: string[]): Promise<void> {
    for (const c of channels) this.channels.add(c);
  }

  async unsubscribe(channels: string[]): Promise<void> {
    for (const c of channels) this.channels.delete(c);
  }

  onMessage(handler: BusMessageHandler): void {
    this.handler = handler;
  }

  onResubscribed(): void {
    // Never disconnects.
  }

  isReady(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.channels.clear();
  }
}
