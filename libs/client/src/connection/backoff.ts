/** Backoff settings; every field has a default. */
export interface BackoffOptions {
  /** First delay ceiling. @default 500 */
  baseMs?: number;
  /** Largest delay ceiling. @default 30000 */
  capMs?: number;
  /** Uniform random in [0, 1). @default Math.random */
  random?: () => number;
}

export const DEFAULT_BACKOFF_BASE_MS = 500;
export const DEFAULT_BACKOFF_CAP_MS = 30_000;

/**
 * Full-jitter exponential backoff: random(0, min(cap, base * 2^attempt)).
 * Full jitter (not "equal" jitter) because after a gateway restart thousands
 * of clients reconnect at once, and spreading them over the whole window is
 * what keeps the next pod from being stampeded.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const cap = options.capMs ?? DEFAULT_BACKOFF_CAP_MS;
  const random = options.random ?? Math.random;
  // 2 ** attempt reaches Infinity for huge attempts; Math.min still yields cap.
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

/** Counts attempts so callers only ask for the next delay. No attempt limit. */
export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions = {}) {}

  /** The delay before the next attempt; each call widens the window. */
  next(): number {
    return backoffDelay(this.attempt++, this.options);
  }

  /** Back to the narrowest window, e.g. once a socket reached `welcome`. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
