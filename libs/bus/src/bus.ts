/** One message to publish on one channel. */
export interface BusMessage {
  channel: string;
  payload: string;
}

export type BusMessageHandler = (channel: string, payload: string) => void;

/**
 * Where the api and the gateways meet (STYLE habit 5). Redis pub/sub in
 * production, an in-process emitter in embedded mode. Subscriptions are
 * per process; reference counting per user lives in the gateway.
 */
export abstract class Bus {
  /** Publishes in order; resolves when the broker has accepted them all. */
  abstract publish(messages: BusMessage[]): Promise<void>;
  abstract subscribe(channels: string[]): Promise<void>;
  abstract unsubscribe(channels: string[]): Promise<void>;
  /** Registers the one message handler of this process. */
  abstract onMessage(handler: BusMessageHandler): void;
  /**
   * Called after the subscriber connection came back from an outage and its
   * subscriptions are live again: messages published meanwhile were lost and
   * the listener must re-read them from Postgres.
   */
  abstract onResubscribed(handler: () => void): void;
  /** True while both connections are usable. */
  abstract isReady(): boolean;
  abstract close(): Promise<void>;
}
