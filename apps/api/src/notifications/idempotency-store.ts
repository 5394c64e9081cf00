import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { SqlExecutor } from '@herald/database';

/** sha256 of the body in canonical key order: "the same body" means this. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(stringify(body) ?? '').digest('hex');
}

export interface StoredKey {
  requestHash: string;
  response: unknown;
}

/** The stored answer of a key claimed earlier (see batch-writer's claimKeys). */
export async function findKey(db: SqlExecutor, principal: string, key: string): Promise<StoredKey | undefined> {
  const [row] = await db.query<{ request_hash: string; response: unknown }>(
    'SELECT request_hash, response FROM idempotency_keys WHERE principal = $1 AND key = $2',
    [principal, key],
  );
  if (!row) return undefined;
  const response = typeof row.response === 'string' ? JSON.parse(row.response) : row.response;
  return { requestHash: row.request_hash.trim(), response };
}
