/** Claims the SDK reads; the token is never verified here, the server does that. */
export interface JwtTimes {
  /** Expiry, seconds since the epoch. */
  exp?: number;
  /** Issued at, seconds since the epoch. */
  iat?: number;
  /** The user; names the group of tabs that share one socket. */
  sub?: unknown;
}

/** The most lead time before `exp`; shorter tokens refresh at 10% of their lifetime. */
export const MAX_REFRESH_LEAD_MS = 30_000;

/** Decodes a JWT's payload without verifying it; null when it is not a JWT. */
export function decodeJwtPayload(token: string): JwtTimes | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const payload: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof payload === 'object' && payload !== null ? (payload as JwtTimes) : null;
  } catch {
    return null;
  }
}

/** `exp` in milliseconds, or null for tokens without one (or opaque tokens). */
export function expiresAtMs(token: string): number | null {
  const exp = decodeJwtPayload(token)?.exp;
  return typeof exp === 'number' ? exp * 1000 : null;
}

/**
 * When to fetch a fresh token: 30 s before `exp`, or 10% of the lifetime for
 * tokens shorter than five minutes, so a 60 s token is not refreshed at birth.
 */
export function refreshAtMs(token: string): number | null {
  const payload = decodeJwtPayload(token);
  if (typeof payload?.exp !== 'number') return null;
  const expMs = payload.exp * 1000;
  const lifetime = typeof payload.iat === 'number' ? expMs - payload.iat * 1000 : Infinity;
  return expMs - Math.min(MAX_REFRESH_LEAD_MS, Math.max(0, lifetime * 0.1));
}
