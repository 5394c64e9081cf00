import { Inject, Injectable } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { MAX_RESUME_ROWS, ServerFrameType, userChannel, userIdFromChannel, type ServerFrame } from '@herald/contracts';
import { NotificationReader } from '@herald/database';
import { Metrics } from '@herald/observability';
import type { StreamKind } from './stream-kind.js';

/**
 * A user's own stream on the user's channel, by per-user `seq`: new
 * notifications (`notification` frames, at notification.seq) and inbox
 * changes (`inbox.change` frames, at their seq) share the one order. Every
 * socket follows its user's stream and no other user's. The old clients'
 * frames on the same channel (`unread`, `notification.updated`, …) are not
 * entries: they are sent as they come.
 */
@Injectable()
export class UserStream implements StreamKind {
  /** Holes are notifications the user deleted or that expired: nothing to resync. */
  readonly holesMeanLoss = false;
  private readonly prefix: string;

  constructor(
    @Inject(NotificationReader) private readonly reader: Pick<NotificationReader, 'entriesAfter' | 'entriesAfterForUsers'>,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(HERALD_CONFIG) config: HeraldConfig,
  ) {
    this.prefix = config.redis.prefix;
  }

  maxGap(): number {
    return MAX_RESUME_ROWS;
  }

  channel(userId: string): string {
    return userChannel(userId, this.prefix);
  }

  keyOf(channel: string): string | null {
    return userIdFromChannel(channel, this.prefix);
  }

  positionOf(frame: ServerFrame): number | undefined {
    if (frame.type === ServerFrameType.Notification) return frame.notification.seq;
    return frame.type === ServerFrameType.Change ? frame.seq : undefined;
  }

  async readGap(userId: string, after: number, below: number): Promise<ServerFrame[]> {
    this.metrics.gapFills.inc();
    return this.reader.entriesAfter(userId, after, below - after - 1, below);
  }

  async readAfter(positions: Map<string, number>): Promise<Map<string, ServerFrame[]>> {
    return this.reader.entriesAfterForUsers(positions, MAX_RESUME_ROWS + 1);
  }

  resyncFrame(_userId: string, lastSeq: number): ServerFrame {
    return { type: ServerFrameType.ResyncRequired, lastSeq };
  }
}
