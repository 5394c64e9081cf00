import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

/**
 * Random bytes for ids, drawn from the CSPRNG 4 KiB at a time: uuid's own
 * source asks WebCrypto for 16 bytes per id, which made an id cost 1.9 µs
 * against 0.1 µs for crypto.randomUUID (0.38 µs with this pool), paid per
 * recipient. Each byte is used once.
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
 * the time in milliseconds, then random bits (and a counter within one
 * millisecond, so one process's ids only grow).
 *
 * The id leads two B-tree keys: the notifications primary key and its
 * receipt's. A random id (v4) lands on a random leaf page of each, so a
 * busy table dirties pages all over both, and the first change to a page
 * after a checkpoint writes the whole 8 KiB page into the WAL. Ordered ids
 * land on the newest leaf. bench/micro/id-order.mjs, 1 M rows, the 5,000
 * rows after a checkpoint: a receipt wrote 225 bytes of WAL instead of
 * 4.3 KiB and took 7 µs instead of 20 (docs/benchmarks.md, round 13).
 *
 * The time it shows is the row's createdAt, which every reader sees anyway.
 * An id is not a secret: every route that takes one checks it belongs to
 * the caller.
 */
export function newNotificationId(): string {
  const random = randomBytes16();
  next(Date.now(), random);
  return v7({ random, msecs: last.msecs, seq: last.seq });
}

/**
 * The time and counter of the last id, kept as uuid keeps them for its own
 * v7() (which it does not do when given a source of random bytes): a new
 * millisecond starts the counter at a random 31-bit value, an id in the same
 * millisecond takes the next, and a counter that wraps moves on a millisecond.
 */
const last = { msecs: -Infinity, seq: 0 };
function next(now: number, random: Uint8Array): void {
  if (now > last.msecs) {
    last.msecs = now;
    last.seq = ((random[6] & 0x7f) << 24) | (random[7] << 16) | (random[8] << 8) | random[9];
    return;
  }
  last.seq = (last.seq + 1) | 0;
  if (last.seq === 0) last.msecs++;
}
