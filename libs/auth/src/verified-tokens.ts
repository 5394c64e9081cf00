import type { JwtPayload } from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';

/** Tokens remembered at most; a service's token or a user's reconnects hit, a flood of distinct ones only evicts. */
const MAX_TOKENS = 10_000;
/**
 * How long a remembered signature is trusted: a key dropped from the JWKS
 * stops being honoured within this time, as jose refetches a key set at
 * most every 30 s anyway (key-provider.ts).
 */
export const VERIFIED_TOKEN_TTL_MS = 30_000;

interface Remembered {
  payload: JwtPayload;
  /** Date.now() past which the entry is not used: the sooner of the TTL and `exp` plus the skew forgiven. */
  until: number;
}

/**
 * The payloads of tokens whose signature, algorithm, issuer and audience
 * jsonwebtoken has already accepted, keyed by the whole token text (a
 * changed byte is another key, verified afresh). A service sends the same
 * token with every POST and a browser reconnects with the one it had: the
 * HMAC or RSA check and the JSON decode were a tenth of the api's CPU per
 * POST. Only the signature is remembered: the claims rules (expiry rounded
 * up, iat, lifetime, sub) run on every use, and an entry is never used past
 * the token's `exp`.
 */
export class VerifiedTokens {
  private readonly entries = new LRUCache<string, Remembered>({ max: MAX_TOKENS });

  constructor(private readonly clockToleranceSec: number) {}

  get(token: string, now = Date.now()): JwtPayload | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (now < entry.until) return entry.payload;
    this.entries.delete(token);
    return undefined;
  }

  remember(token: string, payload: JwtPayload | string, now = Date.now()): void {
    if (typeof payload === 'string' || typeof payload.exp !== 'number') return;
    const until = Math.min(now + VERIFIED_TOKEN_TTL_MS, (payload.exp + this.clockToleranceSec) * 1000);
    if (until > now) this.entries.set(token, { payload, until });
  }
}
