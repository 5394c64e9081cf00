// Gives back what a run left in the shared Redis: every key under its prefix
// (presence, tickets, counters).
import { Redis } from 'ioredis';
import { REDIS_URL } from './services.mjs';

/** SCAN pages at the most: 10,000 × 1000 keys. */
const MAX_SCANS = 10_000;

/** Unlinks every key that starts with `prefix`; rejects if Redis does not answer within 3 s. */
export async function deleteRedisPrefix(prefix) {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000 });
  try {
    await redis.connect();
    let cursor = '0';
    for (let i = 0; i < MAX_SCANS; i++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
}
