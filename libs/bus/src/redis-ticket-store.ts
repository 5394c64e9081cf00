import type { RedisClient } from './redis-client.js';
import type { RedisConnection } from './redis-connection.js';
import { isTicketShaped, newTicket, TicketStore, tooManyTickets, type TicketGrant, type TicketStoreLimits } from './ticket-store.js';

/**
 * Counts one more unused ticket for a user unless that reaches the cap
 * (ARGV[1]); the counter lives as long as the newest ticket (ARGV[2] ms), so
 * tickets that lapse unused stop counting when the last of them does.
 */
const RESERVE = `
local n = redis.call('INCR', KEYS[1])
if n > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[1])
  return 0
end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1`;

/** One ticket used: one fewer counted, never below zero nor on a counter that has lapsed. */
const RELEASE = `
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then return redis.call('DECR', KEYS[1]) end
return 0`;

/**
 * One key per ticket, so it works the same on one Redis and on a Redis
 * Cluster; the per-user count is one more key, each changed by a one-key
 * script. Redis holds at most `maxPerUser` tickets per user, each for at
 * most its TTL.
 */
export class RedisTicketStore extends TicketStore {
  private readonly redis: RedisClient;
  private readonly prefix: string;

  constructor(
    connection: RedisConnection,
    private readonly limits: TicketStoreLimits,
  ) {
    super();
    this.redis = connection.client;
    this.prefix = connection.prefix;
  }

  async issue(grant: TicketGrant, ttlSeconds: number): Promise<string> {
    const reserved = await this.redis.eval(RESERVE, 1, this.countKey(grant.userId), this.limits.maxPerUser, ttlSeconds * 1000);
    if (Number(reserved) !== 1) throw tooManyTickets(ttlSeconds);
    const ticket = newTicket();
    await this.redis.set(`${this.prefix}ticket:${ticket}`, JSON.stringify(grant), 'EX', ttlSeconds, 'NX');
    return ticket;
  }

  async consume(ticket: string): Promise<TicketGrant | null> {
    if (!isTicketShaped(ticket)) return null;
    const raw = await this.redis.getdel(`${this.prefix}ticket:${ticket}`);
    if (!raw) return null;
    const grant = JSON.parse(raw) as TicketGrant;
    // Not awaited: the socket need not wait for the count, and a count that
    // failed to drop lapses with the user's newest ticket anyway.
    this.redis.eval(RELEASE, 1, this.countKey(grant.userId)).catch(() => undefined);
    return grant;
  }

  private countKey(userId: string): string {
    return `${this.prefix}ticket-count:${userId}`;
  }
}
