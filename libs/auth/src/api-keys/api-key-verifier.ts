import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ApiKeysRepository } from '@herald/database';
import { AuthError, AuthFailure } from '../auth.error.js';
import type { Principal } from '../principal.js';
import { ApiKeyCache } from './api-key-cache.js';
import { apiKeyId, hashApiKey, sameHash } from './api-key-format.js';
import { ApiKeyUsage } from './api-key-usage.js';

const NO_TOPICS: readonly string[] = [];

/** How often last-used times are written. */
const LAST_USED_FLUSH_MS = 10_000;

/** The `sub` of a key's principal: its name, in a namespace of its own. */
export const apiKeySubject = (name: string) => `apikey:${name}`;

/**
 * Checks an API key: well formed, a row with its id, the same SHA-256
 * (compared in constant time), not revoked. A key always yields a service
 * principal with the key's scopes; it never expires (revoke it instead).
 * Per request: one hash and a Map lookup; Postgres is read once per key per
 * cache period (ApiKeyCache, 2 s), and last-used times are written in
 * batches every 10 s and at shutdown.
 */
@Injectable()
export class ApiKeyVerifier implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ApiKeyVerifier.name);
  private readonly cache: ApiKeyCache;
  private readonly usage: ApiKeyUsage;
  private timer: NodeJS.Timeout | undefined;

  constructor(@Inject(ApiKeysRepository) keys: ApiKeysRepository) {
    this.cache = new ApiKeyCache((id) => keys.find(id));
    this.usage = new ApiKeyUsage((uses) => keys.recordUse(uses));
  }

  /** How long a revoke may take to reach this process. */
  get revocationBoundMs(): number {
    return this.cache.ttlMs;
  }

  async verify(credential: string): Promise<Principal> {
    const id = apiKeyId(credential);
    if (!id) throw new AuthError(AuthFailure.Invalid, 'malformed API key');
    // A database error propagates as itself (503), not as a refused key.
    const cached = await this.cache.get(id);
    if (!cached || !sameHash(hashApiKey(credential), cached.record.keyHash)) {
      throw new AuthError(AuthFailure.Invalid, `unknown API key ${id}`);
    }
    if (cached.record.revoked) throw new AuthError(AuthFailure.Invalid, `API key ${id} is revoked`);
    this.usage.note(id);
    // A key grants no topic subscriptions: those are for users' sockets.
    return { sub: apiKeySubject(cached.record.name), kind: 'service', scopes: cached.scopes, exp: Number.POSITIVE_INFINITY, topics: NO_TOPICS, apiKeyId: id };
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flushUsage(), LAST_USED_FLUSH_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flushUsage();
  }

  private async flushUsage(): Promise<void> {
    await this.usage.flush().catch((err: Error) => this.logger.warn(`could not record API key use: ${err.message}`));
  }
}
