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

/**
 * Claims a key inside the ingest transaction. A concurrent request with the
 * same key blocks on the primary key until the first commits, then finds it
 * taken: one row, one push. A key older than the TTL is claimed afresh.
 */
export async function claimKey(tx: SqlExecutor, principal: string, key: string, hash: string, ttlHours: number): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO idempotency_keys AS k (principal, key, request_hash, created_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (principal, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, response = NULL, created_at = now()
       WHERE k.created_at < now() - make_interval(hours => $4::int)
     RETURNING 1`,
    [principal, key, hash, ttlHours],
  );
  return rows.length === 1;
}

export async function storeResponse(tx: SqlExecutor, principal: string, key: string, response: unknown): Promise<void> {
  await tx.query('UPDATE idempotency_keys SET response = $3::jsonb WHERE principal = $1 AND key = $2', [principal, key, JSON.stringify(response)]);
}

export async function findKey(db: SqlExecutor, principal: string, key: string): Promise<StoredKey | undefined> {
  const [row] = await db.query<{ request_hash: string; response: unknown }>(
    'SELECT request_hash, response FROM idempotency_keys WHERE principal = $1 AND key = $2',
    [principal, key],
  );
  if (!row) return undefined;
  const response = typeof row.response === 'string' ? JSON.parse(row.response) : row.response;
  return { requestHash: row.request_hash, response };
}
