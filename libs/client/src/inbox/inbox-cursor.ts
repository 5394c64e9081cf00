import { RecentIds } from './recent-ids.js';

/**
 * Anything with a place on the user's ordered stream. Notifications today;
 * the cursor needs only these two fields, so other kinds of entry on the
 * same stream (state changes) can share it.
 */
export interface Positioned {
  id: string;
  seq: number;
}

/** What to do with an incoming entry. */
export const Arrival = {
  /** The next one in sequence (or the first ever): emit it. */
  Next: 'next',
  /** Already emitted (same id, or seq not above the cursor): drop it. */
  Duplicate: 'duplicate',
  /** Its seq skips ahead: fetch the missing ones first. */
  Gap: 'gap',
} as const;
export type Arrival = (typeof Arrival)[keyof typeof Arrival];

/**
 * The last seq this client has emitted, plus the recent ids. Seqs are per
 * user, start at 1 and have no gaps, so "seq > lastSeq + 1" means
 * exactly that something was missed.
 */
export class InboxCursor {
  private seq: number | null;
  private readonly seen: RecentIds;

  constructor(lastSeq: number | null = null, dedupeCapacity = 1000) {
    this.seq = lastSeq;
    this.seen = new RecentIds(dedupeCapacity);
  }

  /** Null until the first `welcome` (or the `since` option) tells us where we are. */
  get lastSeq(): number | null {
    return this.seq;
  }

  classify(entry: Positioned): Arrival {
    if (this.seen.has(entry.id)) return Arrival.Duplicate;
    if (this.seq === null) return Arrival.Next;
    if (entry.seq <= this.seq) return Arrival.Duplicate;
    return entry.seq === this.seq + 1 ? Arrival.Next : Arrival.Gap;
  }

  /** Records an emitted entry. */
  accept(entry: Positioned): void {
    this.seen.add(entry.id);
    this.advanceTo(entry.seq);
  }

  /** Moves forward only: the server said everything up to `seq` is delivered. */
  advanceTo(seq: number): void {
    if (this.seq === null || seq > this.seq) this.seq = seq;
  }

  /** Moves to `seq` in either direction: the server's own lastSeq is the truth. */
  reset(seq: number | null): void {
    this.seq = seq;
  }
}
