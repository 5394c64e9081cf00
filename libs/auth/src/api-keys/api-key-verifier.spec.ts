import type { ApiKeyRecord, ApiKeysRepository } from '@herald/database';
import { AuthError } from '../auth.error.js';
import { ApiKeyCache } from './api-key-cache.js';
import { apiKeyId, generateApiKey, hashApiKey, sameHash } from './api-key-format.js';
import { ApiKeyUsage } from './api-key-usage.js';
import { ApiKeyVerifier } from './api-key-verifier.js';

/** An api_keys table in a Map, counting the statements the verifier sends. */
class FakeKeys {
  rows = new Map<string, ApiKeyRecord>();
  finds = 0;
  writes: ReadonlyMap<string, Date>[] = [];

  add(name: string, scopes: string[], revoked = false) {
    const fresh = generateApiKey();
    this.rows.set(fresh.id, { id: fresh.id, name, keyHash: fresh.hash, scopes, revoked });
    return fresh;
  }

  async find(id: string) {
    this.finds++;
    const row = this.rows.get(id);
    return row && { ...row };
  }

  async recordUse(uses: ReadonlyMap<string, Date>) {
    this.writes.push(uses);
  }
}

describe('API key format', () => {
  it('makes keys with a recognisable prefix, a public id and a hash of the whole key', () => {
    const sut = generateApiKey();

    expect(sut.key).toMatch(/^hrld_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(apiKeyId(sut.key)).toBe(sut.id);
    expect(sut.hash).toBe(hashApiKey(sut.key));
    expect(generateApiKey().key).not.toBe(sut.key);
  });

  it('reads no id from anything malformed, and compares only whole digests', () => {
    const { key, hash } = generateApiKey();

    for (const bad of [key.slice(0, -1), `${key}x`, key.replace('hrld_', 'hrl_'), 'hrld_', `Bearer ${key}`]) expect(apiKeyId(bad)).toBeUndefined();
    expect(sameHash(hash, hash)).toBe(true);
    expect(sameHash(hash, hashApiKey(`${key}x`))).toBe(false);
    expect(sameHash(hash, hash.slice(0, 62))).toBe(false);
  });
});

describe('ApiKeyVerifier', () => {
  let keys: FakeKeys;
  let sut: ApiKeyVerifier;

  beforeEach(() => {
    keys = new FakeKeys();
    sut = new ApiKeyVerifier(keys as unknown as ApiKeysRepository);
  });

  it('turns a key into a service principal with its scopes, named after the key', async () => {
    const { key, id } = keys.add('billing', ['notifications:publish']);

    const principal = await sut.verify(key);

    expect(principal).toMatchObject({ sub: 'apikey:billing', kind: 'service', apiKeyId: id, exp: Number.POSITIVE_INFINITY });
    expect([...principal.scopes]).toEqual(['notifications:publish']);
  });

  it('refuses malformed, unknown, altered and revoked keys alike, with the reason only in the detail', async () => {
    const good = keys.add('billing', ['notifications:publish']);
    const revoked = keys.add('old', ['notifications:publish'], true);
    const forged = generateApiKey().key;
    const altered = good.key.slice(0, -1) + (good.key.endsWith('A') ? 'B' : 'A');

    const refusals = await Promise.all(['hrld_nope', forged, altered, revoked.key].map((k) => sut.verify(k).then(() => new AuthError('missing_token'), (e: AuthError) => e)));

    expect(refusals.map((e) => [e instanceof AuthError, e.message])).toEqual(Array(4).fill([true, 'invalid credentials']));
    expect(refusals.map((e) => e.detail)).toEqual([
      'malformed API key',
      expect.stringMatching(/^unknown API key/),
      expect.stringMatching(/^unknown API key/),
      expect.stringMatching(/revoked$/),
    ]);
    for (const e of refusals) expect(JSON.stringify([e.detail, e.message])).not.toContain('_');
  });

  it('reads Postgres once per key per cache period, however many requests come', async () => {
    const { key } = keys.add('busy', ['notifications:publish']);

    await Promise.all(Array.from({ length: 50 }, () => sut.verify(key)));
    for (let i = 0; i < 50; i++) await sut.verify(key);

    expect(keys.finds).toBe(1);
  });

  it('writes last-used times in one batch at shutdown, not per request', async () => {
    const a = keys.add('a', ['notifications:publish']);
    const b = keys.add('b', ['notifications:admin']);
    for (let i = 0; i < 20; i++) await sut.verify(i % 2 ? a.key : b.key);

    expect(keys.writes).toHaveLength(0);
    await sut.beforeApplicationShutdown();

    expect(keys.writes).toHaveLength(1);
    expect([...keys.writes[0].keys()].sort()).toEqual([a.id, b.id].sort());
  });
});

describe('ApiKeyCache', () => {
  const record = (id: string, revoked = false): ApiKeyRecord => ({ id, name: id, keyHash: '0'.repeat(64), scopes: ['s'], revoked });

  it('answers from memory within the period and reads again after it, so a revoke shows within ttlMs', async () => {
    let now = 1000;
    let revoked = false;
    const sut = new ApiKeyCache(async (id) => record(id, revoked), { ttlMs: 2000, now: () => now });

    expect((await sut.get('k'))?.record.revoked).toBe(false);
    revoked = true;
    now += 1999;
    expect((await sut.get('k'))?.record.revoked).toBe(false);
    now += 1;
    expect((await sut.get('k'))?.record.revoked).toBe(true);
  });

  it('caches absent ids too, and holds at most maxEntries', async () => {
    const reads: string[] = [];
    const sut = new ApiKeyCache(async (id) => (reads.push(id), id === 'real' ? record(id) : undefined), { maxEntries: 2 });

    expect(await sut.get('ghost')).toBeUndefined();
    expect(await sut.get('ghost')).toBeUndefined();
    await sut.get('real');
    await sut.get('third'); // evicts 'ghost', the oldest
    await sut.get('ghost');

    expect(reads).toEqual(['ghost', 'real', 'third', 'ghost']);
  });

  it('lets a failed read fail the requests waiting on it, and tries again on the next', async () => {
    let fail = true;
    const sut = new ApiKeyCache(async (id) => {
      if (fail) throw new Error('database down');
      return record(id);
    });

    await expect(Promise.all([sut.get('k'), sut.get('k')])).rejects.toThrow('database down');
    fail = false;
    expect((await sut.get('k'))?.record.id).toBe('k');
  });
});

describe('ApiKeyUsage', () => {
  it('keeps the newest time per key and, when a write fails, keeps the batch for the next flush', async () => {
    const written: ReadonlyMap<string, Date>[] = [];
    let fail = true;
    const sut = new ApiKeyUsage(async (uses) => {
      if (fail) throw new Error('down');
      written.push(uses);
    });
    sut.note('a', 1000);
    sut.note('a', 2000);

    await expect(sut.flush()).rejects.toThrow('down');
    fail = false;
    await sut.flush();
    await sut.flush();

    expect(written).toEqual([new Map([['a', new Date(2000)]])]);
  });
});
