import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

/**
 * Random bytes for ids, drawn from the CSPRNG 4 KiB at a time: uuid's own
 * source asks WebCrypto for 16 bytes per id, which made an id cost 1.9 µs
 * against 0.05 µs for crypto.randomUUID (0.4 µs with this pool), paid per
 * recipient (bench/micro/id-order.mjs times all three). Each byte is used
 * once; uuid copies what it reads before the pool is refilled.
 */
const pool = new Uint8Array(4096);
let used = pool.length;
function randomBytes16(): Uint8Array {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += 16;
  return pool.subarray(used - 16, used);
}

/**
 * A new notification's id: a UUIDv7 (RFC 9562), whose first 48 bits are
 * the time in milliseconds, then a counter and random bits, so one
 * process's ids only grow.
 *
 * The id leads two B-tree keys: the notifications primary key and its
 * receipt's. A random id (v4) lands on a random leaf page of each, so a
 * busy table dirties pages all over both, and the first change to a page
 * after a checkpoint writes the whole 8 KiB page into the WAL. Ordered ids
 * land on the newest leaf. bench/micro/id-order.mjs, 1 M rows, the 5,000
 * rows after a checkpoint: a receipt wrote 224 bytes of WAL instead of
 * 4,339 and took 7.9 µs instead of 22 (docs/benchmarks.md, round 13).
 *
 * The time it shows is this process's clock when the row was written,
 * within clock skew of the row's createdAt, which every reader sees
 * anyway. An id is not a secret: every route that takes one checks it
 * belongs to the caller.
 */
export function newNotificationId(): string {
  const random = randomBytes16();
  advance(Date.now(), random);
  return v7({ random, msecs: last.msecs, seq: last.seq });
}

/** uuid's v7 counter is 32 bits (it reads `seq >>> 0`). */
const SEQ_LIMIT = 2 ** 32;

/**
 * The time and counter of the last id (uuid keeps its own only when it
 * draws the random bytes itself). A new millisecond starts the counter at
 * a random 31-bit value. An id in the same millisecond, or after the
 * clock stepped back, adds 1 to 65,536 at random (RFC 9562's monotonic
 * random method): with a step of 1, two ids a publisher got would tell it
 * how many others' notifications this process wrote between them. A
 * counter that overflows moves the time on a millisecond.
 */
const last = { msecs: -Infinity, seq: 0 };
function advance(now: number, random: Uint8Array): void {
  if (now > last.msecs) {
    last.msecs = now;
    last.seq = ((random[6] & 0x7f) << 24) | (random[7] << 16) | (random[8] << 8) | random[9];
    return;
  }
  last.seq += 1 + ((random[0] << 8) | random[1]);
  if (last.seq >= SEQ_LIMIT) {
    last.msecs++;
    last.seq = ((random[6] & 0x7f) << 24) | (random[7] << 16) | (random[8] << 8) | random[9];
  }
}
