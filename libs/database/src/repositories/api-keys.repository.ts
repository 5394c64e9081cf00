import type { Database } from '../database.js';
import { PUBLISH_QUERY_TIMEOUT_MS } from '../publish-pool.js';

/** An API key as the CLI lists it: never the key, nor its hash. */
export interface ApiKeyInfo {
  id: string;
  name: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** What a request's check needs: the stored hash and what the key may do. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  keyHash: string;
  scopes: string[];
  revoked: boolean;
}

interface ApiKeyRow {
  id: string;
  name: string;
  key_hash: string;
  scopes: string[] | string;
  created_at: Date | string;
  last_used_at: Date | string | null;
  revoked_at: Date | string | null;
}

const INFO_COLUMNS = 'id, name, scopes, created_at, last_used_at, revoked_at';

/** PGlite may hand a text[] back in its literal form `{a,b}`. */
const toArray = (v: string[] | string): string[] => (Array.isArray(v) ? v : v.replace(/^\{|\}$/g, '').split(',').filter(Boolean));
const toDate = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

const toInfo = (r: ApiKeyRow): ApiKeyInfo => ({
  id: r.id,
  name: r.name,
  scopes: toArray(r.scopes),
  createdAt: toDate(r.created_at) as Date,
  lastUsedAt: toDate(r.last_used_at),
  revokedAt: toDate(r.revoked_at),
});

/**
 * Every statement on api_keys. The api reads one row by id per key and per
 * cache period, and writes last-used times in batches (recordUse), never
 * once per request; the CLI creates, lists and revokes.
 */
export class ApiKeysRepository {
  constructor(private readonly db: Database) {}

  async create(key: { id: string; name: string; keyHash: string; scopes: string[] }): Promise<ApiKeyInfo> {
    const [row] = await this.db.query<ApiKeyRow>(
      `INSERT INTO api_keys (id, name, key_hash, scopes) VALUES ($1, $2, $3, $4::text[]) RETURNING ${INFO_COLUMNS}`,
      [key.id, key.name, key.keyHash, key.scopes],
    );
    return toInfo(row);
  }

  /** Every key, oldest first, revoked ones included. */
  async list(): Promise<ApiKeyInfo[]> {
    const rows = await this.db.query<ApiKeyRow>(`SELECT ${INFO_COLUMNS} FROM api_keys ORDER BY created_at, id`);
    return rows.map(toInfo);
  }

  /** Revokes a key; revoking it again keeps the first time. Undefined: no such key. */
  async revoke(id: string): Promise<ApiKeyInfo | undefined> {
    const [row] = await this.db.query<ApiKeyRow>(
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ${INFO_COLUMNS}`,
      [id],
    );
    return row ? toInfo(row) : undefined;
  }

  /**
   * The row a request's key names, by primary key; undefined when there is
   * none. Every request with this key waits on this one read (ApiKeyCache
   * shares it), so it gives up like the publish path's statements do.
   */
  async find(id: string): Promise<ApiKeyRecord | undefined> {
    const [row] = await this.db.queryWithin<ApiKeyRow>(PUBLISH_QUERY_TIMEOUT_MS,'SELECT id, name, key_hash, scopes, revoked_at FROM api_keys WHERE id = $1', [id]);
    return row && { id: row.id, name: row.name, keyHash: row.key_hash.trim(), scopes: toArray(row.scopes), revoked: row.revoked_at !== null };
  }

  /** Moves each key's last-used time forward (never back), in one statement. */
  async recordUse(uses: ReadonlyMap<string, Date>): Promise<void> {
    if (uses.size === 0) return;
    await this.db.query(
      `UPDATE api_keys AS k SET last_used_at = greatest(k.last_used_at, u.t)
         FROM unnest($1::varchar[], $2::timestamptz[]) AS u(id, t)
        WHERE k.id = u.id`,
      [[...uses.keys()], [...uses.values()].map((d) => d.toISOString())],
    );
  }
}
