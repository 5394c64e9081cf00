/** What a budget answers one request. */
export interface LimitDecision {
  allowed: boolean;
  /** When refused: milliseconds until the key's budget has room again; 0 when allowed. */
  retryAfterMs: number;
}

/**
 * One budget per key (a user id, a client address). Every named limit is
 * used through this type alone, so how it counts can change (a local token
 * bucket in front of Redis, say) without the guards and the handshake
 * knowing: see `LimiterFactory` in rate-limits.ts.
 */
export interface RateLimiter {
  /** Takes one point of `key`'s budget. Resolves refused rather than rejecting when the budget is spent. */
  consume(key: string): Promise<LimitDecision>;
}

/** A budget: `points` per key per `durationSeconds` window; 0 points means no limit. */
export interface LimitSpec {
  points: number;
  durationSeconds: number;
}

export const ALLOWED: LimitDecision = Object.freeze({ allowed: true, retryAfterMs: 0 });

/** The limiter of a budget turned off (0 points): admits everything, counts nothing. */
export const unlimited: RateLimiter = Object.freeze({ consume: () => Promise.resolve(ALLOWED) });
