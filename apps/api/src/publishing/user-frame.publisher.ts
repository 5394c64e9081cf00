import { Inject, Injectable, Logger } from '@nestjs/common';
import { Bus, type BusMessage } from '@herald/bus';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { multicastChannel, notificationFrame, toMulticast, userChannel, type Notification, type ServerFrame } from '@herald/contracts';
import { Metrics } from '@herald/observability';

/**
 * From this many recipients a POST goes to the gateways as one multicast
 * message (each gateway picks its users) instead of one message per user.
 * Below it, per-user channels cost less: a multicast reaches every gateway.
 */
export const MULTICAST_MIN_RECIPIENTS = 32;

/**
 * Pushes frames to users' channels after commit. A failed publish is logged
 * and counted, never thrown: the rows are the truth, and a client repairs
 * what it missed by resuming with `since` or by the gateway's gap fill.
 */
@Injectable()
export class UserFramePublisher {
  private readonly logger = new Logger(UserFramePublisher.name);

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  publish(frames: { userId: string; frame: ServerFrame }[]): Promise<void> {
    const prefix = this.config.redis.prefix;
    return this.send(frames.map(({ userId, frame }) => ({ channel: userChannel(userId, prefix), payload: JSON.stringify(frame) })));
  }

  /**
   * New notifications, one list per POST, in commit order. Messages keep that
   * order on the one publisher connection, so a user's seqs arrive in order
   * whether a POST went per user or as a multicast.
   */
  publishNotifications(perPost: Notification[][]): Promise<void> {
    const prefix = this.config.redis.prefix;
    const messages: BusMessage[] = [];
    for (const copies of perPost) {
      if (copies.length >= MULTICAST_MIN_RECIPIENTS) {
        messages.push({ channel: multicastChannel(prefix), payload: JSON.stringify(toMulticast(copies)) });
        continue;
      }
      for (const notification of copies) {
        messages.push({ channel: userChannel(notification.userId, prefix), payload: JSON.stringify(notificationFrame(notification)) });
      }
    }
    return this.send(messages);
  }

  private async send(messages: BusMessage[]): Promise<void> {
    try {
      await this.bus.publish(messages);
    } catch (err) {
      this.metrics.publishFailures.inc(messages.length);
      this.logger.warn(`publish of ${messages.length} frame(s) failed: ${(err as Error).message}`);
    }
  }
}
