import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { ServerFrameType, type ServerFrame } from '@herald/contracts';
import { AdvisoryLocks, Database, PeriodicJob, SNOOZE_WAKER_LOCK_KEY, SnoozeWakerRepository, type Woken } from '@herald/database';
import { UserFramePublisher } from '../../../api/src/publishing/user-frame.publisher.js';

/** Notifications woken per transaction: short row locks, bounded frames per publish. */
export const WAKE_BATCH_SIZE = 500;
/** Most batches one tick runs; the next tick goes on. */
const MAX_BATCHES_PER_TICK = 20;

/**
 * Brings snoozed notifications back when their time comes, every
 * HERALD_INBOX_WAKE_INTERVAL_MS, one worker replica at a time (each batch
 * takes a transaction-scoped advisory lock first, as retention does; a
 * replica that finds it taken leaves the work to the holder). Each woken
 * notification's `woken` entry, and the `unread` count old clients know,
 * are published after the batch commits, so sockets get them live.
 */
@Injectable()
export class SnoozeWaker implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SnoozeWaker.name);
  private readonly job = new PeriodicJob<number>();

  constructor(
    @Inject(Database) private readonly db: Database,
    @Inject(SnoozeWakerRepository) private readonly waker: SnoozeWakerRepository,
    @Inject(AdvisoryLocks) private readonly locks: AdvisoryLocks,
    @Inject(UserFramePublisher) private readonly publisher: UserFramePublisher,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  onModuleInit(): void {
    this.job.every(this.config.inbox.wakeIntervalMs, () => this.runOnce(), (err) => this.logger.warn(`snooze wake-up failed: ${err.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /** One tick: wakes what is due, batch by batch; answers how many woke (0 when another replica holds the lock). */
  runOnce(): Promise<number> {
    return this.job.run(() => this.run(), 0);
  }

  private async run(): Promise<number> {
    let total = 0;
    for (let i = 0; i < MAX_BATCHES_PER_TICK && !this.job.stopping; i++) {
      const batch = await this.db.transaction(async (tx) =>
        (await this.locks.tryForTransaction(tx, SNOOZE_WAKER_LOCK_KEY)) ? this.waker.wakeDue(tx, WAKE_BATCH_SIZE) : undefined,
      );
      if (!batch) break;
      if (batch.woken.length) await this.publisher.publish(framesOf(batch.woken));
      total += batch.woken.length;
      if (batch.scanned < WAKE_BATCH_SIZE) break;
    }
    return total;
  }
}

/** Each woken entry in position order, then each user's new unread count for old clients. */
function framesOf(woken: Woken[]): { userId: string; frame: ServerFrame }[] {
  const frames = woken.map(({ userId, frame }) => ({ userId, frame: frame as ServerFrame }));
  const lastByUser = new Map(woken.map((w) => [w.userId, w.frame.counts.unread]));
  for (const [userId, count] of lastByUser) frames.push({ userId, frame: { type: ServerFrameType.Unread, count } });
  return frames;
}
