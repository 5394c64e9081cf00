import type { ChannelLike, LockManagerLike, TabPlatform } from '../src/tabs/tab-platform.js';

interface Waiter {
  grant: () => void;
  signal?: AbortSignal;
}

/**
 * The Web Locks and BroadcastChannel of one browser origin, in memory:
 * each lock name is granted to one holder at a time, in request order, until
 * its callback's promise settles or its tab `crash()`es; a message reaches
 * every other channel of its name, cloned, a turn later, as in browsers.
 */
export class FakeTabs {
  private readonly channels = new Set<FakeChannel>();
  private readonly held = new Set<string>();
  private readonly waiting = new Map<string, Waiter[]>();
  /** Every message posted on any channel, in order. */
  readonly posted: unknown[] = [];

  /** A platform for one tab; `crash()` closes it as a closed browser tab would. */
  tab(): TabPlatform & { crash(): void } {
    const mine = new Set<FakeChannel>();
    const releases: (() => void)[] = [];
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const tabs = this;
    class Channel extends FakeChannel {
      constructor(name: string) {
        super(name, tabs);
        mine.add(this);
      }
    }
    const locks: LockManagerLike = {
      request: (name, options, callback) =>
        new Promise((resolve, reject) => {
          const grant = () => {
            let released = false;
            const release = () => {
              if (released) return;
              released = true;
              this.held.delete(name);
              const next = this.waiting.get(name)?.shift();
              if (next) next.grant();
            };
            releases.push(release);
            this.held.add(name);
            callback().then(release, release).then(resolve, reject);
          };
          if (!this.held.has(name)) return grant();
          const waiter: Waiter = { grant, signal: options.signal };
          options.signal?.addEventListener('abort', () => {
            const queue = this.waiting.get(name) ?? [];
            if (queue.includes(waiter)) queue.splice(queue.indexOf(waiter), 1);
            reject(new Error('AbortError'));
          });
          this.waiting.set(name, [...(this.waiting.get(name) ?? []), waiter]);
        }),
    };
    return {
      locks,
      BroadcastChannel: Channel,
      crash: () => {
        for (const channel of mine) channel.close();
        for (const release of releases) release();
      },
    };
  }

  /** @internal */
  join(channel: FakeChannel): void {
    this.channels.add(channel);
  }

  /** @internal */
  leave(channel: FakeChannel): void {
    this.channels.delete(channel);
  }

  /** @internal */
  deliver(from: FakeChannel, message: unknown): void {
    this.posted.push(message);
    const copy = structuredClone(message);
    for (const channel of [...this.channels]) {
      if (channel === from || channel.name !== from.name) continue;
      setImmediate(() => channel.receive(copy));
    }
  }
}

class FakeChannel implements ChannelLike {
  onmessage: ((event: { data: unknown }) => void) | null = null;
  private closed = false;

  constructor(
    readonly name: string,
    private readonly tabs: FakeTabs,
  ) {
    tabs.join(this);
  }

  postMessage(message: unknown): void {
    if (this.closed) throw new Error('InvalidStateError: channel closed');
    this.tabs.deliver(this, message);
  }

  close(): void {
    this.closed = true;
    this.tabs.leave(this);
  }

  receive(data: unknown): void {
    if (!this.closed) this.onmessage?.({ data });
  }
}
