import type { IdempotencyKeysRepository, SqlExecutor } from '@herald/database';
import { IdempotencyConflictError } from '../notifications/ingest.errors.js';

/** What a publish request says about its Idempotency-Key. */
export interface Keyed {
  principal: string;
  /** Absent: the request has no key (or one that does not apply). */
  key?: string;
  /** sha256 of the canonical body; set when `key` is. */
  hash: string;
}

const NO_CLAIMS: ReadonlySet<number> = new Set();

const keyOf = (r: Keyed) => `${r.principal}\u0000${r.key}`;

/**
 * Claims the keys of a batch of publish requests inside its transaction: the
 * first request naming a key gets it, if no earlier transaction holds it.
 * Answers the indexes of the requests whose key this batch now owns; a keyed
 * request not among them replays (or is a conflict) after commit. Shared by
 * the publish routes: notifications and topic events.
 */
export async function claimFirstKeys(keys: IdempotencyKeysRepository, tx: SqlExecutor, requests: Keyed[], ttlHours: number): Promise<ReadonlySet<number>> {
  // Most batches name no key: no tables built for them.
  if (!requests.some((r) => r.key !== undefined)) return NO_CLAIMS;
  const first = new Map<string, number>();
  requests.forEach((r, i) => {
    if (r.key !== undefined && !first.has(keyOf(r))) first.set(keyOf(r), i);
  });
  const claimants = [...first.values()];
  const owned = await keys.claim(
    tx,
    claimants.map((i) => ({ principal: requests[i].principal, key: requests[i].key as string, requestHash: requests[i].hash })),
    ttlHours,
  );
  return new Set(claimants.filter((_, k) => owned[k]));
}

/** The answer stored under a key another request claimed: the same body replays it, anything else is a 409. */
export async function storedAnswer<T>(keys: IdempotencyKeysRepository, principal: string, key: string, hash: string): Promise<T> {
  const stored = await keys.find(principal, key);
  if (!stored || stored.requestHash !== hash || !stored.response) throw new IdempotencyConflictError();
  return stored.response as T;
}
