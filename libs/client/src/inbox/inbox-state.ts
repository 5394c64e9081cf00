import {
  applyInboxEntry, applyWelcome, emptyInboxReplica, matchesInboxFilter, ServerFrameType,
  type ChangeFrame, type InboxCounts, type InboxFilter, type InboxReplica, type Notification, type WelcomeFrame,
} from '@herald/contracts';

/** Newest activity first; a notification from a server without `activitySeq` sorts by its seq. */
const byActivity = (a: Notification, b: Notification) => (b.activitySeq ?? b.seq) - (a.activitySeq ?? a.seq);

/**
 * The client's copy of the inbox: the notifications it holds and the
 * default tabs' counts, kept by applying the user's stream in seq order
 * with the contracts' reference reducer, so it converges with the server
 * (and with every other client) after any resume. Holds at most
 * `capacity` notifications, dropping the least recently active.
 */
export class InboxState {
  private replica: InboxReplica = emptyInboxReplica();
  /** False until a welcome with counts: a server from before inbox states. */
  private countsKnown = false;

  constructor(private readonly capacity: number) {}

  get counts(): InboxCounts | null {
    return this.countsKnown ? { ...this.replica.counts } : null;
  }

  /** The notifications held that match `filter`, newest activity first. */
  items(filter: InboxFilter = {}): Notification[] {
    return [...this.replica.items.values()].filter((n) => matchesInboxFilter(withDefaults(n), filter)).sort(byActivity);
  }

  get(id: string): Notification | undefined {
    return this.replica.items.get(id);
  }

  welcome(frame: WelcomeFrame): void {
    applyWelcome(this.replica, frame);
    this.countsKnown = frame.counts !== undefined;
  }

  notification(notification: Notification): void {
    applyInboxEntry(this.replica, { type: ServerFrameType.Notification, notification });
    this.prune();
  }

  change(frame: ChangeFrame): void {
    applyInboxEntry(this.replica, frame);
    this.countsKnown = true;
    this.prune();
  }

  /**
   * Notifications read over REST (a page, an action's answer): each replaces
   * the copy held unless that one's states are newer (`stateSeq`), so a
   * page read before a change that already arrived cannot undo it.
   */
  merge(items: Notification[]): void {
    for (const n of items) {
      const held = this.replica.items.get(n.id);
      if (!held || stateSeqOf(n) >= stateSeqOf(held)) this.replica.items.set(n.id, n);
    }
    this.prune();
  }

  /** Fields changed outside the stream's entries (a v1 `notification.updated`, an action's answer). */
  patch(id: string, fields: Partial<Notification>): void {
    const n = this.replica.items.get(id);
    if (n) this.replica.items.set(id, { ...n, ...fields });
  }

  remove(id: string): void {
    this.replica.items.delete(id);
  }

  /** A v1 `notifications.read_all`. */
  readAll(readAt: string): void {
    for (const n of this.replica.items.values()) if (n.readAt === null) this.patch(n.id, { readAt });
  }

  private prune(): void {
    const items = this.replica.items;
    if (items.size <= this.capacity) return;
    for (const n of [...items.values()].sort(byActivity).slice(this.capacity)) items.delete(n.id);
  }
}

/** Where a copy's states are exact (the contracts' rule); a server from before `stateSeq` gives none. */
const stateSeqOf = (n: Notification) => n.stateSeq ?? n.seq;

/** Rows of an older server lack the state fields: they are in the inbox. */
function withDefaults(n: Notification): Notification {
  return { seenAt: null, archivedAt: null, snoozedUntil: null, ...n };
}
