import { Inject, Injectable } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import {
  MAX_RESUME_ROWS, notificationFrame, ServerFrameType, userChannel, userIdFromChannel, type ServerFrame,
} from '@herald/contracts';
import { NotificationReader } from '@herald/database';
import { Metrics } from '@herald/observability';
import type { StreamKind } from './stream-kind.js';

/**
 * A user's own stream: their notifications by per-user `seq`, on the user's
 * channel. Every socket follows its user's stream and no other user's.
 * Entries are `notification` frames; the inbox-change frames on the same
 * channel (`unread`, `notification.updated`, …) are not entries today.
 */
@Injectable()
export class UserStream implements StreamKind {
  /** Holes are notifications the user deleted or that expired: nothing to resync. */
  readonly holesMeanLoss = false;
  private readonly prefix: string;

  constructor(
    @Inject(NotificationReader) private readonly reader: Pick<NotificationReader, 'after' | 'afterForUsers'>,
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
    return frame.type === ServerFrameType.Notification ? frame.notification.seq : undefined;
  }

  async readGap(userId: string, after: number, below: number): Promise<ServerFrame[]> {
    this.metrics.gapFills.inc();
    return (await this.reader.after(userId, after, below - after - 1, below)).map(notificationFrame);
  }

  async readAfter(positions: Map<string, number>): Promise<Map<string, ServerFrame[]>> {
    const byUser = new Map<string, ServerFrame[]>();
    for (const row of await this.reader.afterForUsers(positions, MAX_RESUME_ROWS + 1)) {
      let entries = byUser.get(row.userId);
      if (!entries) byUser.set(row.userId, (entries = []));
      entries.push(notificationFrame(row));
    }
    return byUser;
  }

  resyncFrame(_userId: string, lastSeq: number): ServerFrame {
    return { type: ServerFrameType.ResyncRequired, lastSeq };
  }
}
