import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ServerFrameType, type ServerFrame } from '@herald/contracts';
import { DeliveryReceiptsRepository, MAX_RECEIPT_BATCH, type Receipt } from '@herald/database';

/** How long a receipt waits in the buffer at most. */
export const RECEIPT_FLUSH_MS = 250;
/**
 * Most receipts waiting while a write is out. Past it, new ones are
 * dropped and counted: the database is not keeping up, and a receipt is
 * worth less than the gateway's memory.
 */
export const MAX_PENDING_RECEIPTS = 20 * MAX_RECEIPT_BATCH;

/**
 * Records deliveredAt the first time this gateway writes a notification to
 * one of its user's sockets: receipts gather in a buffer and go to Postgres
 * as one INSERT per MAX_RECEIPT_BATCH or per RECEIPT_FLUSH_MS, never one
 * per frame, one write at a time. A frame that already carries deliveredAt
 * (a replay of a row another socket received) adds nothing. A failed write
 * is logged and dropped: a receipt is worth less than the load of retrying
 * it against a struggling database.
 */
@Injectable()
export class DeliveryReceipts implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryReceipts.name);
  /** Notification id to its createdAt, in the order they were written. */
  private pending = new Map<string, string>();
  /** Receipts dropped at MAX_PENDING_RECEIPTS since the last warning. */
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The write in progress, which takes whatever is buffered until the buffer is empty; undefined when none is. */
  private writing: Promise<void> | undefined;

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
    if (this.pending.size >= MAX_PENDING_RECEIPTS && !this.pending.has(frame.notification.id)) {
      this.dropped += 1;
      return;
    }
    this.pending.set(frame.notification.id, frame.notification.createdAt);
    if (this.pending.size >= MAX_RECEIPT_BATCH) void this.flush();
  }

  /** Writes what is buffered (one INSERT per MAX_RECEIPT_BATCH receipts); joins the write in progress if there is one. */
  flush(): Promise<void> {
    this.writing ??= this.writeBuffered().finally(() => (this.writing = undefined));
    return this.writing;
  }

  private async writeBuffered(): Promise<void> {
    if (this.dropped > 0) {
      this.logger.warn(`${this.dropped} delivery receipt(s) dropped: more than ${MAX_PENDING_RECEIPTS} were waiting for the database`);
      this.dropped = 0;
    }
    // Receipts that arrive while a batch is out are taken by the next turn of this loop.
    while (this.pending.size > 0) {
      const at = new Date();
      const batch: Receipt[] = [];
      for (const [id, createdAt] of this.pending) {
        batch.push({ id, createdAt });
        this.pending.delete(id);
        if (batch.length === MAX_RECEIPT_BATCH) break;
      }
      try {
        await this.receipts.markDelivered(batch, at);
      } catch (err) {
        this.logger.warn(`delivery receipts for ${batch.length} notification(s) not written: ${(err as Error).message}`);
      }
    }
  }
}
