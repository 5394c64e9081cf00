import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Bus } from '@herald/bus';
import { Metrics } from '@herald/observability';
import { SessionRegistry } from '../connection/session-registry.js';
import { UserStream } from '../streams/user-stream.js';

/** Users per query when re-syncing after an outage. */
const BATCH_USERS = 500;

/**
 * After the bus comes back from an outage, whatever was published while it
 * was down is gone from pub/sub but not from Postgres. Re-read every
 * connected user's rows above its sockets' cursors, in batches of users
 * (one query per batch, never one per user), and replay them through each
 * session's ordered queue, which drops what it already sent.
 */
@Injectable()
export class ResyncService implements OnModuleInit {
  private readonly logger = new Logger(ResyncService.name);

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(SessionRegistry) private readonly registry: SessionRegistry,
    @Inject(UserStream) private readonly users: UserStream,
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
    const positions = new Map<string, number>();
    for (const userId of users) {
      const sessions = this.registry.forUser(userId);
      if (!sessions?.size) continue;
      positions.set(userId, Math.min(...[...sessions].map((s) => s.cursor)));
    }
    let read = 0;
    for (const [userId, missed] of await this.users.readAfter(positions)) {
      read += missed.length;
      const stream = { kind: this.users, key: userId };
      const through = this.users.positionOf(missed[missed.length - 1]) as number;
      for (const session of this.registry.forUser(userId) ?? []) session.enqueue(() => void session.replay(stream, missed, through));
      this.metrics.resumes.labels('resync_after_outage').inc();
    }
    return read;
  }
}
