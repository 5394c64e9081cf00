import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Bus } from '@herald/bus';
import { MAX_RESUME_ROWS, ServerFrameType, type Notification } from '@herald/contracts';
import { NotificationReader } from '@herald/database';
import { Metrics } from '@herald/observability';
import type { ClientSession } from '../connection/client-session.js';
import { SessionRegistry } from '../connection/session-registry.js';

/** Users per query when re-syncing after an outage. */
const BATCH_USERS = 500;

/**
 * After the bus comes back from an outage, whatever was published while it
 * was down is gone from pub/sub but not from Postgres. Re-read every
 * connected user's rows above its sockets' cursors, in batches of users
 * (one query per batch, never one per user), and feed them through each
 * session's ordered queue, which drops what it already sent.
 */
@Injectable()
export class ResyncService implements OnModuleInit {
  private readonly logger = new Logger(ResyncService.name);

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(SessionRegistry) private readonly registry: SessionRegistry,
    @Inject(NotificationReader) private readonly reader: NotificationReader,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    this.bus.onResubscribed(() => {
      this.resyncAll().catch((err: Error) => this.logger.error(`re-sync failed: ${err.message}`));
    });
  }

  async resyncAll(): Promise<number> {
    const users = [...this.registry.users()];
    let delivered = 0;
    for (let i = 0; i < users.length; i += BATCH_USERS) {
      delivered += await this.resyncBatch(users.slice(i, i + BATCH_USERS));
    }
    this.logger.log(`re-synced ${users.length} users after a bus outage, ${delivered} notifications replayed`);
    return delivered;
  }

  private async resyncBatch(users: string[]): Promise<number> {
    const cursors = new Map<string, number>();
    for (const userId of users) {
      const sessions = this.registry.forUser(userId);
      if (!sessions?.size) continue;
      cursors.set(userId, Math.min(...[...sessions].map((s) => s.cursor)));
    }
    const rows = await this.reader.afterForUsers(cursors, MAX_RESUME_ROWS + 1);
    const byUser = new Map<string, Notification[]>();
    for (const row of rows) {
      const list = byUser.get(row.userId) ?? [];
      list.push(row);
      byUser.set(row.userId, list);
    }
    for (const [userId, missed] of byUser) {
      for (const session of this.registry.forUser(userId) ?? []) this.replay(session, missed);
      this.metrics.resumes.labels('resync_after_outage').inc();
    }
    return rows.length;
  }

  private replay(session: ClientSession, missed: Notification[]): void {
    session.enqueue(() => {
      if (missed.length > MAX_RESUME_ROWS) {
        session.send({ type: ServerFrameType.ResyncRequired, lastSeq: missed[missed.length - 1].seq });
        session.cursor = Math.max(session.cursor, missed[missed.length - 1].seq);
        return;
      }
      for (const n of missed) if (n.seq > session.cursor) session.sendStored(n);
    });
  }
}
