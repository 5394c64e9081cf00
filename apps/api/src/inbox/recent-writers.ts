import { redisOrInMemory, type RedisConnection } from '@herald/bus';

/**
 * Users who changed their inbox in the last few seconds: their reads go to
 * the primary, not the replica, so they see their own write. Shared across
 * api replicas through Redis (a user's next request may reach another
 * replica); in process memory when there is no Redis.
 */
export abstract class RecentWriters {
  /** Notes that `userId` wrote, for `ms`. */
  abstract mark(userId: string, ms: number): Promise<void>;
  abstract has(userId: string): Promise<boolean>;
}

export class RedisRecentWriters extends RecentWriters {
  constructor(private readonly connection: RedisConnection) {
    super();
  }

  async mark(userId: string, ms: number): Promise<void> {
    await this.connection.client.set(this.key(userId), '1', 'PX', ms);
  }

  async has(userId: string): Promise<boolean> {
    return (await this.connection.client.exists(this.key(userId))) === 1;
  }

  private key(userId: string): string {
    return `${this.connection.prefix}wrote:${userId}`;
  }
}

/** Entries past which expired ones are swept; a flood of writers costs a bounded map. */
const MAX_ENTRIES = 100_000;

export class InMemoryRecentWriters extends RecentWriters {
  private readonly until = new Map<string, number>();

  async mark(userId: string, ms: number): Promise<void> {
    if (this.until.size >= MAX_ENTRIES) this.sweep();
    this.until.delete(userId); // re-inserted last: the map stays in mark order for the sweep
    this.until.set(userId, Date.now() + ms);
  }

  async has(userId: string): Promise<boolean> {
    return (this.until.get(userId) ?? 0) > Date.now();
  }

  private sweep(): void {
    const now = Date.now();
    for (const [user, until] of this.until) if (until <= now) this.until.delete(user);
    // Still full of live marks: the oldest go first (those users read from the primary a little less long).
    for (const user of this.until.keys()) {
      if (this.until.size < MAX_ENTRIES) break;
      this.until.delete(user);
    }
  }
}

export const recentWritersProvider = redisOrInMemory<RecentWriters>({
  provide: RecentWriters,
  redis: (connection) => new RedisRecentWriters(connection),
  inMemory: () => new InMemoryRecentWriters(),
});
