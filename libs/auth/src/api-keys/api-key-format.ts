import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * How an API key looks: `hrld_<id>_<secret>`. The prefix makes a leaked key
 * recognisable to secret scanners and to Herald (a Bearer credential that
 * starts with it is a key, never a JWT); `id` (16 hex characters) is public,
 * shown by `keys list` and used to find the row; `secret` is 32 random bytes
 * in base64url (43 characters).
 */
export const API_KEY_PREFIX = 'hrld_';
const ID_BYTES = 8;
const SECRET_BYTES = 32;
const KEY_PATTERN = /^hrld_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/;

export interface NewApiKey {
  /** The public id, stored as the row's primary key. */
  id: string;
  /** The whole key: shown once, never stored. */
  key: string;
  /** What is stored: hashApiKey(key). */
  hash: string;
}

/** A fresh key from the OS's CSPRNG. */
export function generateApiKey(): NewApiKey {
  const id = randomBytes(ID_BYTES).toString('hex');
  const key = `${API_KEY_PREFIX}${id}_${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { id, key, hash: hashApiKey(key) };
}

/** True when a Bearer credential claims to be an API key (whether or not it is well formed). */
export const looksLikeApiKey = (credential: string): boolean => credential.startsWith(API_KEY_PREFIX);

/** The id of a well-formed key; undefined for anything else. */
export function apiKeyId(credential: string): string | undefined {
  return KEY_PATTERN.exec(credential)?.[1];
}

/**
 * SHA-256 of the whole key, hex. A fast hash is enough here, unlike for
 * passwords: the secret is 256 random bits, so there is no dictionary to
 * try and no brute force that a slow hash would need to slow down; a stolen
 * table of hashes yields no key. And it keeps a request's check at about a
 * microsecond instead of bcrypt's tens of milliseconds.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Compares two hex SHA-256 digests in constant time. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === 32 && y.length === 32 && timingSafeEqual(x, y);
}
