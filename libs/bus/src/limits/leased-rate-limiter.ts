import type { RedisClient } from '../redis-client.js';
import type { RedisConnection } from '../redis-connection.js';
import { withDeadline } from '../redis-deadline.js';
import { memoryLimiter } from './flexible-rate-limiter.js';
import { ALLOWED, type LimitDecision, type LimitSpec, type RateLimiter } from './rate-limiter.js';

/**
 * Grants up to ARGV[1] points of the window's budget (ARGV[2] points per
 * window of ARGV[3] ms, counted in KEYS[1], which expires with its window).
 * Answers { granted, ms left in the window }.
 */
const LEASE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local grant = math.min(tonumber(ARGV[1]), tonumber(ARGV[2]) - used)
if grant <= 0 then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then ttl = tonumber(ARGV[3]) end
  return {0, ttl}
end
redis.call('INCRBY', KEYS[1], grant)
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  ttl = tonumber(ARGV[3])
end
return {grant, ttl}`;

/** The share of a window's budget one lease takes: also what one replica may hold unspent. */
export const LEASE_SHARE = 0.05;
/** After Redis failed a lease, how long this process counts alone before asking Redis again. */
const REDIS_RETRY_MS = 1000;
/** Keys (service tokens) whose leases are remembered; the least recently used beyond it are forgotten. */
const MAX_KEYS = 10_000;

interface Lease {
  /** Points this process holds for the key's current window. */
  tokens: number;
  /** When the window (and every point held for it) ends, ms since the epoch. */
  until: number;
  /** Refused by Redis (budget spent) until `until`: no round trip per refusal. */
  spent: boolean;
  /** The lease request in flight, if any. */
  fetching?: Promise<void>;
  /** Requests waiting for a lease, oldest first. */
  waiting: ((d: LimitDecision) => void)[];
}

/**
 * One budget per key across every replica, without a Redis round trip per
 * request: each process leases points of the key's window from Redis (a
 * one-key script, so it runs on a Redis Cluster as is) and spends them
 * locally, fetching the next lease in the background when half of one is
 * left. A request waits for Redis only when its process holds no points
 * (the first request of a window, a burst past the lease).
 *
 * Tolerance: points are taken from Redis before they are spent, so the
 * replicas together never admit more than the budget per window; a replica
 * may hold at most one lease and a half (LEASE_SHARE of the budget each)
 * unspent, which the others cannot use until the window ends — at worst
 * replicas × 7.5 % of a window's budget is refused although unspent. A
 * lease is spent until its window ends as Redis reported it, one round trip
 * earlier than Redis's own expiry at most.
 *
 * While Redis fails (or does not answer a lease within the connection's
 * command timeout) each replica counts alone in memory (the same budget
 * per replica), so an outage neither blocks publishing nor lifts the limit;
 * Redis is asked again a second after a failure, not on every request.
 */
export class LeasedRateLimiter implements RateLimiter {
  private readonly leases = new Map<string, Lease>();
  private readonly leaseSize: number;
  private readonly windowMs: number;
  private readonly insurance: RateLimiter;
  private readonly redis: RedisClient;
  private readonly commandTimeoutMs: number;
  /** After a failed lease, Redis is not asked again before this time (ms since the epoch). */
  private redisDownUntil = 0;

  constructor(
    connection: Pick<RedisConnection, 'client' | 'commandTimeoutMs'>,
    private readonly keyPrefix: string,
    private readonly spec: LimitSpec,
    private readonly now: () => number = Date.now,
  ) {
    this.redis = connection.client;
    this.commandTimeoutMs = connection.commandTimeoutMs;
    this.leaseSize = Math.max(1, Math.floor(spec.points * LEASE_SHARE));
    this.windowMs = spec.durationSeconds * 1000;
    this.insurance = memoryLimiter(spec);
  }

  consume(key: string): Promise<LimitDecision> {
    const now = this.now();
    if (now < this.redisDownUntil) return this.insurance.consume(key);
    const lease = this.leaseOf(key);
    if (now >= lease.until) Object.assign(lease, { tokens: 0, spent: false, until: Infinity });
    if (lease.spent) return Promise.resolve({ allowed: false, retryAfterMs: lease.until - now });
    if (lease.tokens > 0 && lease.waiting.length === 0) {
      lease.tokens--;
      if (lease.tokens < this.leaseSize / 2 && !lease.fetching) void this.fetch(key, lease);
      return Promise.resolve(ALLOWED);
    }
    return new Promise<LimitDecision>((resolve) => {
      lease.waiting.push(resolve);
      if (!lease.fetching) void this.fetch(key, lease);
    });
  }

  private leaseOf(key: string): Lease {
    let lease = this.leases.get(key);
    if (lease) {
      // Map order is insertion order: re-inserting keeps the least recently used first.
      this.leases.delete(key);
    } else {
      lease = { tokens: 0, until: Infinity, spent: false, waiting: [] };
      if (this.leases.size >= MAX_KEYS) this.forgetOldest();
    }
    this.leases.set(key, lease);
    return lease;
  }

  private forgetOldest(): void {
    for (const [key, lease] of this.leases) {
      if (lease.fetching || lease.waiting.length) continue;
      this.leases.delete(key);
      return;
    }
  }

  /** Leases enough points for everyone waiting (at least one lease), then serves the waiting in order. */
  private fetch(key: string, lease: Lease): Promise<void> {
    const want = Math.min(this.spec.points, Math.max(this.leaseSize, lease.waiting.length));
    // A deadline of its own: a hung Redis must not hold the requests waiting for this lease (see withDeadline).
    const lease$ = this.redis.eval(LEASE, 1, `${this.keyPrefix}:${key}`, want, this.spec.points, this.windowMs);
    lease.fetching = withDeadline(lease$, this.commandTimeoutMs, 'publish budget lease')
      .then(
        (answer) => {
          const [granted, ttl] = (answer as [number, number]).map(Number);
          const until = this.now() + ttl;
          // A lease from a newer window (the old one ended while this was in flight) replaces what is left of the old.
          if (lease.until !== Infinity && until > lease.until + this.windowMs / 2) lease.tokens = 0;
          lease.until = until;
          lease.tokens += granted;
          lease.spent = granted === 0;
          lease.fetching = undefined;
          this.serve(key, lease);
        },
        () => {
          lease.fetching = undefined;
          this.redisDownUntil = this.now() + REDIS_RETRY_MS;
          this.fallBack(key, lease);
        },
      );
    return lease.fetching;
  }

  private serve(key: string, lease: Lease): void {
    while (lease.waiting.length && lease.tokens > 0) {
      lease.tokens--;
      (lease.waiting.shift() as (d: LimitDecision) => void)(ALLOWED);
    }
    if (!lease.waiting.length) return;
    if (lease.spent) {
      const refused = { allowed: false, retryAfterMs: Math.max(1, lease.until - this.now()) };
      for (const resolve of lease.waiting.splice(0)) resolve(refused);
      return;
    }
    void this.fetch(key, lease);
  }

  /** Redis failed: the waiting are judged by this process's own budget. */
  private fallBack(key: string, lease: Lease): void {
    for (const resolve of lease.waiting.splice(0)) {
      this.insurance.consume(key).then(resolve, () => resolve(ALLOWED));
    }
  }
}
