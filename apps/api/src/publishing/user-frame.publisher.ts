import { Inject, Injectable, Logger } from '@nestjs/common';
import { Bus } from '@herald/bus';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { userChannel, type ServerFrame } from '@herald/contracts';
import { Metrics } from '@herald/observability';

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

  async publish(frames: { userId: string; frame: ServerFrame }[]): Promise<void> {
    const prefix = this.config.redis.prefix;
    const messages = frames.map(({ userId, frame }) => ({ channel: userChannel(userId, prefix), payload: JSON.stringify(frame) }));
    try {
      await this.bus.publish(messages);
    } catch (err) {
      this.metrics.publishFailures.inc(messages.length);
      this.logger.warn(`publish of ${messages.length} frame(s) failed: ${(err as Error).message}`);
    }
  }
}
