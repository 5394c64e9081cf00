import type { ChainableCommander } from 'ioredis';
import type { ClusterStats, GatewayStats, UserPresence } from '@herald/contracts';
import { liveIds, liveWindowMs, presenceFrom, summarize, toGatewayStats } from './presence-liveness.js';
import { PresenceStore, type UserCounts } from './presence-store.js';
import type { RedisClient } from './redis-client.js';
import type { RedisConnection } from './redis-connection.js';

/** Users per SSCAN page and commands per pipeline when a whole gateway is rewritten or removed. */
const BATCH = 500;
/** Dead gateways one sweep reaps at most; the next tick takes the rest. */
const SWEEP_LIMIT = 20;

/**
 * Where presence keys start. On a Redis Cluster they all carry one hash tag,
 * so they share a slot: the pipelines, MGET and DEL below name several keys
 * at once, and TIME then comes from one node's clock. On one Redis the
 * layout stays as it always was.
 */
export function presenceKeyBase(prefix: string, cluster: boolean): string {
  return cluster ? `${prefix}{presence}:` : prefix;
}

/**
 * Presence in Redis, on the process's Redis connection. `{p}` below is
 * presenceKeyBase: the prefix, or `prefix{presence}:` on a cluster.
 *
 * - `{p}gateways`: sorted set, gateway id → alive-until (Redis ms). Readers
 *   count a gateway only while its score is ahead of Redis TIME, so a silent
 *   gateway drops out one interval (+ slack) after its last report, whatever
 *   interval the reader itself is configured with.
 * - `{p}gateway:{id}`: the report JSON, with a TTL of three intervals so a
 *   crashed gateway's report cleans itself up.
 * - `{p}presence:{userId}`: hash, gateway id → that gateway's sockets for the user.
 * - `{p}gateway:{id}:users`: the users this gateway has written a count for,
 *   so a shutdown or a sweep of a crashed gateway can remove its fields.
 */
export class RedisPresenceStore extends PresenceStore {
  private readonly redis: RedisClient;
  private readonly base: string;
  private readonly gatewaysKey: string;

  constructor(connection: RedisConnection) {
    super();
    this.redis = connection.client;
    this.base = presenceKeyBase(connection.prefix, connection.kind === 'cluster');
    this.gatewaysKey = `${this.base}gateways`;
  }

  async report(report: GatewayStats, intervalMs: number): Promise<boolean> {
    const now = await this.now();
    const ttl = Math.max(3 * intervalMs, liveWindowMs(intervalMs) + intervalMs);
    const [, added] = await exec(
      this.redis
        .pipeline()
        .set(this.reportKey(report.id), JSON.stringify({ ...report, reportedAt: now }), 'PX', ttl)
        .zadd(this.gatewaysKey, now + liveWindowMs(intervalMs), report.id),
    );
    return Number(added) === 1;
  }

  async setUserCount(gatewayId: string, userId: string, count: number): Promise<void> {
    await exec(this.writeCount(this.redis.pipeline(), gatewayId, userId, count));
  }

  async setUserCounts(gatewayId: string, counts: [userId: string, count: number][]): Promise<void> {
    const pipelines: Promise<unknown>[] = [];
    for (let i = 0; i < counts.length; i += BATCH) {
      const p = this.redis.pipeline();
      for (const [userId, count] of counts.slice(i, i + BATCH)) this.writeCount(p, gatewayId, userId, count);
      pipelines.push(exec(p));
    }
    await Promise.all(pipelines);
  }

  async resync(gatewayId: string, counts: UserCounts): Promise<void> {
    const known = await this.members(this.usersKey(gatewayId));
    // From here on everything is queued synchronously, after the snapshot and
    // before any later per-user change: the connection keeps that order.
    const current = new Map(counts());
    const writes: ((p: ChainableCommander) => void)[] = [];
    for (const userId of known) if (!current.has(userId)) writes.push((p) => this.writeCount(p, gatewayId, userId, 0));
    for (const [userId, count] of current) writes.push((p) => this.writeCount(p, gatewayId, userId, count));
    const pipelines: Promise<unknown>[] = [];
    for (let i = 0; i < writes.length; i += BATCH) {
      const p = this.redis.pipeline();
      for (const write of writes.slice(i, i + BATCH)) write(p);
      pipelines.push(exec(p));
    }
    await Promise.all(pipelines);
  }

  async sweep(graceMs: number): Promise<number> {
    const now = await this.now();
    const dead = await this.redis.zrangebyscore(this.gatewaysKey, '-inf', `(${now - graceMs}`, 'LIMIT', 0, SWEEP_LIMIT);
    let reaped = 0;
    for (const id of dead) {
      // ZREM answers 1 to one caller only: concurrent sweepers never double up.
      if ((await this.redis.zrem(this.gatewaysKey, id)) !== 1) continue;
      await this.dropUsers(id);
      reaped++;
    }
    return reaped;
  }

  async removeGateway(gatewayId: string): Promise<void> {
    await this.redis.zrem(this.gatewaysKey, gatewayId);
    await this.dropUsers(gatewayId);
  }

  async stats(): Promise<ClusterStats> {
    const [time, entries] = await exec(this.redis.pipeline().time().zrange(this.gatewaysKey, 0, '-1', 'WITHSCORES'));
    const live = [...liveIds((entries as unknown[]).flat() as string[], toMs(time))];
    const raw = live.length ? await this.redis.mget(live.map((id) => this.reportKey(id))) : [];
    const reports = raw.flatMap((json) => {
      const stats = json ? toGatewayStats(JSON.parse(json)) : undefined;
      return stats ? [stats] : [];
    });
    return summarize(reports);
  }

  async presence(userId: string): Promise<UserPresence> {
    const [time, entries, counts] = await exec(
      this.redis.pipeline().time().zrange(this.gatewaysKey, 0, '-1', 'WITHSCORES').hgetall(this.presenceKey(userId)),
    );
    return presenceFrom((counts ?? {}) as Record<string, string>, liveIds((entries as unknown[]).flat() as string[], toMs(time)));
  }

  private writeCount(p: ChainableCommander, gatewayId: string, userId: string, count: number): ChainableCommander {
    if (count > 0) return p.hset(this.presenceKey(userId), gatewayId, count).sadd(this.usersKey(gatewayId), userId);
    return p.hdel(this.presenceKey(userId), gatewayId).srem(this.usersKey(gatewayId), userId);
  }

  /** Deletes a gateway's field from each of its users' hashes, then its own keys. */
  private async dropUsers(gatewayId: string): Promise<void> {
    const usersKey = this.usersKey(gatewayId);
    let cursor = '0';
    do {
      const [next, users] = await this.redis.sscan(usersKey, cursor, 'COUNT', BATCH);
      cursor = next;
      if (users.length) {
        const p = this.redis.pipeline();
        for (const userId of users) p.hdel(this.presenceKey(userId), gatewayId);
        await exec(p);
      }
    } while (cursor !== '0');
    await this.redis.del(usersKey, this.reportKey(gatewayId));
  }

  private async members(key: string): Promise<string[]> {
    const all: string[] = [];
    let cursor = '0';
    do {
      const [next, page] = await this.redis.sscan(key, cursor, 'COUNT', BATCH);
      cursor = next;
      all.push(...page);
    } while (cursor !== '0');
    return all;
  }

  /**
   * Redis TIME from the node that holds the presence keys: a cluster sends a
   * keyless command to any node, and nodes' clocks may differ. A pipeline
   * goes where its keyed command goes.
   */
  private async now(): Promise<number> {
    const [time] = await exec(this.redis.pipeline().time().exists(this.gatewaysKey));
    return toMs(time);
  }

  private reportKey = (gatewayId: string) => `${this.base}gateway:${gatewayId}`;
  private usersKey = (gatewayId: string) => `${this.base}gateway:${gatewayId}:users`;
  private presenceKey = (userId: string) => `${this.base}presence:${userId}`;
}

/** Redis TIME (`[seconds, microseconds]`) in milliseconds. */
function toMs(time: unknown): number {
  const [seconds, micros] = time as [string | number, string | number];
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/** Runs a pipeline and returns each reply; the first failed command throws. */
async function exec(p: ChainableCommander): Promise<unknown[]> {
  const results = (await p.exec()) ?? [];
  const failed = results.find(([err]) => err);
  if (failed) throw failed[0];
  return results.map(([, value]) => value);
}
