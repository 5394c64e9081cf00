import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Bus } from '@herald/bus';
import { Metrics } from '@herald/observability';
import { ChannelRegistry, type Channel } from '../fanout/channel-registry.js';
import type { StreamKind } from '../streams/stream-kind.js';

/** Streams per query when re-syncing after an outage. */
const BATCH_STREAMS = 500;

/**
 * After the bus comes back from an outage, whatever was published while it
 * was down is gone from pub/sub but not from Postgres. Re-read every
 * followed stream's entries above its sockets' cursors, in batches of
 * streams of one kind (one query per batch, never one per stream), and
 * replay them through each session's ordered queue, which drops what it
 * already sent.
 */
@Injectable()
export class ResyncService implements OnModuleInit {
  private readonly logger = new Logger(ResyncService.name);

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(ChannelRegistry) private readonly channels: ChannelRegistry,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    this.bus.onResubscribed(() => {
      this.resyncAll().catch((err: Error) => this.logger.error(`re-sync failed: ${err.message}`));
    });
  }

  async resyncAll(): Promise<number> {
    let streams = 0;
    let replayed = 0;
    for (const kind of [...this.channels.kinds()]) {
      const channels = [...this.channels.ofKind(kind)];
      streams += channels.length;
      for (let i = 0; i < channels.length; i += BATCH_STREAMS) {
        replayed += await this.resyncBatch(kind, channels.slice(i, i + BATCH_STREAMS));
      }
    }
    this.logger.log(`re-synced ${streams} streams after a bus outage, ${replayed} entries replayed`);
    return replayed;
  }

  private async resyncBatch(kind: StreamKind, batch: Channel[]): Promise<number> {
    const positions = new Map<string, number>();
    for (const channel of batch) {
      if (channel.size === 0) continue;
      positions.set(channel.key, Math.min(...[...channel].map((s) => s.positionIn(channel))));
    }
    let read = 0;
    for (const [key, missed] of await kind.readAfter(positions)) {
      if (missed.length === 0) continue;
      read += missed.length;
      const through = kind.positionOf(missed[missed.length - 1]) ?? 0;
      // Whoever follows the stream now, including sockets that joined during the read.
      const channel = this.channels.get(kind, key);
      for (const session of channel ?? []) session.enqueue(() => void session.replay(channel as Channel, missed, through));
      this.metrics.resumes.labels('resync_after_outage').inc();
    }
    return read;
  }
}
