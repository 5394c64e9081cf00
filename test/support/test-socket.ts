import WebSocket from 'ws';

type Frame = { type: string; [key: string]: any };

/**
 * A real ws client that records every frame, with waits that fail with a
 * description of what did arrive instead of hanging the test.
 */
export class TestSocket {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      for (const w of this.waiters) w();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** Opens a socket; resolves once the upgrade completed (before any welcome). */
  static open(url: string, options: WebSocket.ClientOptions = {}): Promise<TestSocket> {
    const ws = new WebSocket(url, { perMessageDeflate: false, ...options });
    const sut = new TestSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(sut));
      ws.once('error', reject);
    });
  }

  /** Opens a socket and waits for its welcome frame. */
  static async connect(url: string, options: WebSocket.ClientOptions = {}): Promise<TestSocket> {
    const socket = await TestSocket.open(url, options);
    await socket.waitFor((f) => f.type === 'welcome');
    return socket;
  }

  waitFor(predicate: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    return this.until(() => this.frames.find(predicate), timeoutMs, 'frame');
  }

  /** Waits until `count` notification frames have arrived. */
  async waitForNotifications(count: number, timeoutMs = 10000): Promise<Frame[]> {
    await this.until(() => (this.notifications().length >= count ? true : undefined), timeoutMs, `${count} notifications`);
    return this.notifications();
  }

  notifications(): any[] {
    return this.frames.filter((f) => f.type === 'notification').map((f) => f.notification);
  }

  /** Waits until `count` frames of `type` have arrived; answers them all. */
  async waitForType(type: string, count: number, timeoutMs = 10000): Promise<Frame[]> {
    return this.until(() => (this.ofType(type).length >= count ? this.ofType(type) : undefined), timeoutMs, `${count} ${type} frames`);
  }

  ofType(type: string): Frame[] {
    return this.frames.filter((f) => f.type === type);
  }

  send(value: unknown): void {
    this.ws.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
    return this.closed;
  }

  private until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const found = check();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = () => {
        const value = check();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = this.frames.map((f) => f.type).join(', ');
        reject(new Error(`timed out waiting for ${what}; received: [${seen}]`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
      };
      this.waiters.push(waiter);
      void this.closed.then(() => setTimeout(waiter, 0));
    });
  }
}
