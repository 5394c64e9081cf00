import { MAX_RESUME_ROWS } from '@herald/contracts';
import type { NotificationReader, StreamEntry, UserState } from '@herald/database';

export interface ResumeRead {
  state: UserState;
  /** Entries (notifications and inbox changes) above `since` (at most MAX_RESUME_ROWS + 1), when `since` was given and not ahead of the state. */
  rows?: StreamEntry[];
}

type Pending = { since?: number; resolve: (r: ResumeRead) => void; reject: (e: unknown) => void };

/** Most users in one batch (two queries with arrays of this length). */
const MAX_BATCH = 500;

/**
 * The reads of a resume (user state, then the entries above `since`: the
 * notifications and the inbox changes) for every socket that opens in the
 * same event-loop turn, in three queries for
 * all of them. When a gateway dies its users all come back at once, and a
 * pair of queries per socket made Postgres round trips the main cost of a
 * reconnect storm. The state is read before the rows, as for one socket: a
 * row committed in between shows up in the rows, never goes missing.
 */
export class ResumeReads {
  private pending = new Map<string, Pending>();
  private scheduled = false;

  constructor(private readonly reader: Pick<NotificationReader, 'userState' | 'entriesAfter' | 'userStates' | 'entriesAfterForUsers'>) {}

  read(userId: string, since?: number): Promise<ResumeRead> {
    // A second socket of the same user in this batch may resume from another
    // seq, and one cursor per user is what the batched read takes: read alone.
    if (this.pending.has(userId)) return this.readAlone(userId, since);
    return new Promise<ResumeRead>((resolve, reject) => {
      this.pending.set(userId, { since, resolve, reject });
      if (this.pending.size >= MAX_BATCH) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.readBatch(batch).catch((err: unknown) => batch.forEach((p) => p.reject(err)));
  }

  private async readBatch(batch: Map<string, Pending>): Promise<void> {
    const states = await this.reader.userStates([...batch.keys()]);
    const cursors = new Map<string, number>();
    for (const [userId, { since }] of batch) {
      if (since !== undefined && since <= (states.get(userId) as UserState).lastSeq) cursors.set(userId, since);
    }
    const entries = await this.reader.entriesAfterForUsers(cursors, MAX_RESUME_ROWS + 1);
    for (const [userId, p] of batch) {
      p.resolve({ state: states.get(userId) as UserState, rows: cursors.has(userId) ? (entries.get(userId) ?? []) : undefined });
    }
  }

  private async readAlone(userId: string, since?: number): Promise<ResumeRead> {
    const state = await this.reader.userState(userId);
    if (since === undefined || since > state.lastSeq) return { state };
    return { state, rows: await this.reader.entriesAfter(userId, since, MAX_RESUME_ROWS + 1) };
  }
}
