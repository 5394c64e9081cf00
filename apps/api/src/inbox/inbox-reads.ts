import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { NotificationReader, READ_REPLICA, type ReadReplica } from '@herald/database';
import { RecentWriters } from './recent-writers.js';

/** How often the replica's lag is measured, at most; a quarter of the sticky window at least. */
const MAX_PROBE_INTERVAL_MS = 1000;

/**
 * Chooses where an inbox list or unread count is read. With
 * DATABASE_REPLICA_URL, on the replica, unless
 * - the user changed their inbox in the last HERALD_REPLICA_STICKY_MS
 *   (read-your-writes: their reads stay on the primary that long), or
 * - the replica is not known to hold every commit older than that window
 *   (measured by WAL position, see ReadReplica), so a write that has left
 *   the sticky window is on the replica before the replica is read again.
 * A read that fails on the replica is made again on the primary. Resume,
 * gap fill and `?after=` reads never come here: they stay on the primary.
 */
@Injectable()
export class InboxReads implements OnModuleInit {
  private readonly logger = new Logger(InboxReads.name);

  constructor(
    @Inject(NotificationReader) private readonly primary: NotificationReader,
    @Inject(READ_REPLICA) private readonly replica: ReadReplica | null,
    @Inject(RecentWriters) private readonly writers: RecentWriters,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  onModuleInit(): void {
    this.replica?.start(Math.min(MAX_PROBE_INTERVAL_MS, Math.max(25, this.config.replica.stickyMs / 4)));
  }

  /** `read` on the replica when that is safe for this user now, else on the primary. */
  async read<T>(userId: string, read: (reader: NotificationReader) => Promise<T>): Promise<T> {
    if (!(await this.onReplica(userId))) return read(this.primary);
    try {
      return await read((this.replica as ReadReplica).reader);
    } catch (err) {
      // A conflict with recovery, a replica gone: the primary answers instead.
      this.logger.warn(`replica read failed, read from the primary: ${(err as Error).message}`);
      this.replica?.markStale();
      return read(this.primary);
    }
  }

  /** Call after a user's inbox write committed, before answering it. */
  async wrote(userId: string): Promise<void> {
    if (!this.replica) return;
    await this.writers.mark(userId, this.config.replica.stickyMs).catch((err: Error) => {
      // Unmarked, the user may read the replica too early; the lag guard still bounds how stale.
      this.logger.warn(`could not note an inbox write for read-your-writes: ${err.message}`);
    });
  }

  private async onReplica(userId: string): Promise<boolean> {
    if (!this.replica?.isFresh(this.config.replica.stickyMs)) return false;
    // Redis unreachable: the primary, which is always right.
    return !(await this.writers.has(userId).catch(() => true));
  }
}
