import type { ApiKeyRecord } from '@herald/database';

/** A key's row as a request needs it, with its scopes as the Set a Principal carries. */
export interface CachedKey {
  record: ApiKeyRecord;
  scopes: ReadonlySet<string>;
}

interface Entry {
  /** undefined: no such key (cached too, so a flood of one forged id costs one read per period). */
  key: CachedKey | undefined;
  until: number;
}

export interface ApiKeyCacheOptions {
  /** How long a row read from Postgres answers for; a revoke takes effect within it. @default 2000 */
  ttlMs?: number;
  /** Most ids held; the oldest entry makes room. @default 10000 */
  maxEntries?: number;
  /** @default Date.now */
  now?: () => number;
}

/**
 * Key rows by id for `ttlMs`, read once per period however many requests
 * arrive meanwhile (concurrent misses share one read). Nothing is served
 * past its period, so a key revoked on any replica (or by the CLI) is
 * refused everywhere within `ttlMs` of the revoke committing, without any
 * message between replicas.
 */
export class ApiKeyCache {
  readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();
  private readonly reading = new Map<string, Promise<CachedKey | undefined>>();

  constructor(
    private readonly read: (id: string) => Promise<ApiKeyRecord | undefined>,
    options: ApiKeyCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 2000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get(id: string): Promise<CachedKey | undefined> {
    const entry = this.entries.get(id);
    if (entry && entry.until > this.now()) return Promise.resolve(entry.key);
    let pending = this.reading.get(id);
    if (!pending) {
      pending = this.load(id).finally(() => this.reading.delete(id));
      this.reading.set(id, pending);
    }
    return pending;
  }

  private async load(id: string): Promise<CachedKey | undefined> {
    const record = await this.read(id);
    const key = record && { record, scopes: new Set(record.scopes) };
    // Re-inserted at the end: the Map's order is then the order of reads, oldest first.
    this.entries.delete(id);
    this.entries.set(id, { key, until: this.now() + this.ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return key;
  }
}
