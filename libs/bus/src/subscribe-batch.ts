/** Sends one turn's channels; answers one outcome per channel, in order (several may share one). */
export type SubscribeFlush = (channels: string[]) => Promise<unknown>[];

interface Caller {
  from: number;
  to: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Gathers the subscribe calls of one event-loop turn into one flush: in a
 * reconnect storm thousands of users arrive per second, each wanting their
 * channel, and one SUBSCRIBE for many channels costs about what one for a
 * single channel does. Each caller resolves once its own channels are
 * confirmed, and fails only if one of them does.
 */
export class SubscribeBatch {
  private pending: { channels: string[]; callers: Caller[] } | undefined;

  constructor(private readonly flush: SubscribeFlush) {}

  add(channels: string[]): Promise<void> {
    if (channels.length === 0) return Promise.resolve();
    const batch = this.pending ?? this.open();
    return new Promise<void>((resolve, reject) => {
      batch.callers.push({ from: batch.channels.length, to: batch.channels.length + channels.length, resolve, reject });
      batch.channels.push(...channels);
    });
  }

  private open(): { channels: string[]; callers: Caller[] } {
    const batch = (this.pending = { channels: [] as string[], callers: [] as Caller[] });
    setImmediate(() => {
      this.pending = undefined;
      let outcomes: Promise<unknown>[];
      try {
        outcomes = this.flush(batch.channels);
      } catch (err) {
        outcomes = batch.channels.map(() => Promise.reject(err));
      }
      for (const c of batch.callers) Promise.all(outcomes.slice(c.from, c.to)).then(() => c.resolve(), c.reject);
    });
    return batch;
  }
}
