import type { LimitDecision } from '@herald/bus';
import { RateLimitedError } from '@herald/errors';

/** Passes an allowed decision; turns a refused one into 429 `rate_limited` with its Retry-After. */
export function admitOrThrow(decision: LimitDecision, message: string): void {
  if (!decision.allowed) throw new RateLimitedError(message, decision.retryAfterMs / 1000);
}
