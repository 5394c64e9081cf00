import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';

/** sha256 of the body in canonical key order: "the same body" means this. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(stringify(body) ?? '').digest('hex');
}
