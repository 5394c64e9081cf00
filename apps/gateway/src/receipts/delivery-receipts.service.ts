import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ServerFrameType, type ServerFrame } from '@herald/contracts';
import { DeliveryReceiptsRepository, MAX_RECEIPT_BATCH } from '@herald/database';

/** How long a receipt waits in the buffer at most. */
export const RECEIPT_FLUSH_MS = 250;

/**
 * Records deliveredAt the first time this gateway writes a notification to
 * one of its user's sockets: ids gather in a buffer and go to Postgres as
 * one UPDATE per MAX_RECEIPT_BATCH ids or per RECEIPT_FLUSH_MS, never one
 * per frame. A frame that already carries deliveredAt (a replay of a row
 * another socket received) adds nothing. Ids the write skipped (their row
 * locked by a change at that moment) are tried once more in the next batch.
 * A failed write is logged and dropped: a receipt is worth less than the
 * load of retrying it against a struggling database.
 */
@Injectable()
export class DeliveryReceipts implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryReceipts.name);
  private pending = new Set<string>();
  private retry = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(@Inject(DeliveryReceiptsRepository) private readonly receipts: Pick<DeliveryReceiptsRepository, 'markDelivered'>) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), RECEIPT_FLUSH_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** A frame was written to a socket. */
  written(frame: ServerFrame): void {
    if (frame.type !== ServerFrameType.Notification || frame.notification.deliveredAt) return;
    this.pending.add(frame.notification.id);
    if (this.pending.size >= MAX_RECEIPT_BATCH) void this.flush();
  }

  /** Writes what is buffered (one UPDATE per MAX_RECEIPT_BATCH ids), after any write in progress. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeBuffered());
    return this.flushing;
  }

  private async writeBuffered(): Promise<void> {
    const at = new Date();
    while (this.pending.size > 0) {
      const batch = [...this.pending].slice(0, MAX_RECEIPT_BATCH);
      for (const id of batch) this.pending.delete(id);
      try {
        const unmarked = await this.receipts.markDelivered(batch, at);
        for (const id of unmarked) {
          if (this.retry.delete(id)) continue; // tried twice: already delivered, gone, or unlucky
          this.retry.add(id);
        }
      } catch (err) {
        this.logger.warn(`delivery receipts for ${batch.length} notification(s) not written: ${(err as Error).message}`);
      }
    }
    // Skipped ids wait for the next tick, when the change that locked them has committed.
    for (const id of this.retry) this.pending.add(id);
    if (this.retry.size > 4 * MAX_RECEIPT_BATCH) this.retry.clear();
  }
}
