import jwt from 'jsonwebtoken';

export interface SignTokenOptions {
  sub: string;
  scope?: string;
  /** Lifetime in seconds. @default 3600 */
  expiresIn?: number;
  issuer?: string;
  audience?: string;
  /** More claims, e.g. `topics` (a user's topic grants) or `topic` (a subscription token). */
  claims?: Record<string, unknown>;
}

/** HS256 token for dev mode (`npm start` prints two) and for tests. */
export function signToken(secret: string, o: SignTokenOptions): string {
  return jwt.sign({ ...o.claims, ...(o.scope ? { scope: o.scope } : {}) }, secret, {
    algorithm: 'HS256',
    subject: o.sub,
    expiresIn: o.expiresIn ?? 3600,
    ...(o.issuer ? { issuer: o.issuer } : {}),
    ...(o.audience ? { audience: o.audience } : {}),
  });
}
