import type { CloseEventLike, MessageEventLike, WebSocketLike } from '../src/platform.js';

type Listeners = {
  message: ((event: MessageEventLike) => void)[];
  close: ((event: CloseEventLike) => void)[];
  error: ((event: unknown) => void)[];
};

/** A WebSocket the test drives by hand: `serverSend`, `serverClose`. */
export class FakeWebSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: unknown[] = [];
  closedByClient: { code?: number; reason?: string } | null = null;
  private readonly listeners: Listeners = { message: [], close: [], error: [] };

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
    readonly options?: { headers?: Record<string, string> },
  ) {}

  get query(): URLSearchParams {
    return new URL(this.url).searchParams;
  }

  addEventListener(type: keyof Listeners, listener: (event: never) => void): void {
    (this.listeners[type] as ((event: never) => void)[]).push(listener);
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(code?: number, reason?: string): void {
    this.readyState = 3;
    this.closedByClient = { code, reason };
  }

  /** The server accepted the upgrade. */
  open(): void {
    this.readyState = 1;
  }

  serverSend(frame: object): void {
    this.serverSendRaw(JSON.stringify(frame));
  }

  serverSendRaw(data: unknown): void {
    for (const listener of this.listeners.message) listener({ data });
  }

  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    for (const listener of this.listeners.error) listener({});
    for (const listener of this.listeners.close) listener({ code, reason });
  }
}

/** A fresh WebSocket class per test, recording every instance it makes. */
export function fakeWebSocketClass() {
  const instances: FakeWebSocket[] = [];
  class TestWebSocket extends FakeWebSocket {
    constructor(...args: ConstructorParameters<typeof FakeWebSocket>) {
      super(...args);
      instances.push(this);
    }
  }
  return { WebSocket: TestWebSocket, instances, last: () => instances.at(-1) as FakeWebSocket };
}
