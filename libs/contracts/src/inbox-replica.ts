import type { ChangeFrame, NotificationFrame, WelcomeFrame } from './frames.js';
import { ServerFrameType } from './frames.js';
import { InboxChangeKind, matchesInboxFilter, type InboxCounts } from './inbox.js';
import type { Notification } from './notification.js';

/**
 * A client's copy of an inbox, rebuilt from the entries of the user's
 * stream alone: the reference for what each entry means. Two clients that
 * applied the same entries hold the same items and counts, whatever they
 * missed and resumed in between; the SDK and the tests use it.
 */
export interface InboxReplica {
  /** Every notification the client holds, by id (lists are these, filtered, newest activitySeq first). */
  items: Map<string, Notification>;
  counts: InboxCounts;
  /** Highest entry applied. */
  lastSeq: number;
  /** Entries up to here are already in `counts` (the welcome's lastSeq). */
  countedThrough: number;
}

export function emptyInboxReplica(): InboxReplica {
  return { items: new Map(), counts: { inbox: 0, unread: 0, unseen: 0, archived: 0, snoozed: 0 }, lastSeq: 0, countedThrough: 0 };
}

/** A welcome: its counts are exact at its lastSeq, so entries up to there must not count again. */
export function applyWelcome(state: InboxReplica, frame: WelcomeFrame): void {
  if (frame.counts) state.counts = { ...frame.counts };
  state.countedThrough = frame.lastSeq;
}

/** Applies one entry (a `notification` or an `inbox.change` frame) of the user's stream, in seq order. */
export function applyInboxEntry(state: InboxReplica, frame: NotificationFrame | ChangeFrame): void {
  if (frame.type === ServerFrameType.Notification) {
    const n = frame.notification;
    const held = state.items.get(n.id);
    const isNew = !held;
    if (!held || stateSeqOf(n) >= stateSeqOf(held)) state.items.set(n.id, n);
    // A new notification is always in the inbox, unread and unseen: the counts move by one without being sent.
    if (isNew && n.seq > state.countedThrough) {
      state.counts = { ...state.counts, inbox: state.counts.inbox + 1, unread: state.counts.unread + 1, unseen: state.counts.unseen + 1 };
    }
    state.lastSeq = Math.max(state.lastSeq, n.seq);
    return;
  }
  applyChange(state, frame);
  state.counts = { ...frame.counts };
  state.lastSeq = Math.max(state.lastSeq, frame.seq);
}

/** Where a held copy's states are exact: changes at or below it are already in them. */
const stateSeqOf = (n: Notification) => n.stateSeq ?? n.seq;

function applyChange(state: InboxReplica, f: ChangeFrame): void {
  const at = f.at;
  // A copy read after this change (a resume replays rows as they are now) already shows it.
  const behind = (n: Notification) => stateSeqOf(n) < f.seq;
  const edit = (id: string, change: (n: Notification) => Partial<Notification>) => {
    const n = state.items.get(id);
    if (n && behind(n)) state.items.set(id, { ...n, ...change(n), stateSeq: f.seq });
  };
  switch (f.change) {
    case InboxChangeKind.Grouped:
    case InboxChangeKind.Woken:
      if (!f.notification) f.ids.forEach((id) => state.items.delete(id));
      else if (!state.items.has(f.notification.id) || behind(state.items.get(f.notification.id) as Notification)) {
        state.items.set(f.notification.id, f.notification);
      }
      return;
    case InboxChangeKind.Deleted:
      f.ids.forEach((id) => state.items.delete(id));
      return;
    case InboxChangeKind.Bulk: {
      // By filter: what matched then, so only copies whose states are from before this change are judged.
      const targets = f.filter ? [...state.items.values()].filter((n) => behind(n) && matchesInboxFilter(n, f.filter!)).map((n) => n.id) : f.ids;
      const set = f.action === 'seen' ? seen : f.action === 'read' ? read : archived;
      targets.forEach((id) => edit(id, (n) => set(n, at)));
      return;
    }
    default:
      f.ids.forEach((id) => edit(id, (n) => single(f, n, at)));
  }
}

const seen = (n: Notification, at: string) => ({ seenAt: n.seenAt ?? at });
const read = (n: Notification, at: string) => ({ readAt: n.readAt ?? at, seenAt: n.seenAt ?? at });
const archived = (n: Notification, at: string) => ({ archivedAt: n.archivedAt ?? at });

function single(f: ChangeFrame, n: Notification, at: string): Partial<Notification> {
  switch (f.change) {
    case InboxChangeKind.Seen: return seen(n, at);
    case InboxChangeKind.Read: return read(n, at);
    case InboxChangeKind.Unread: return { readAt: null };
    case InboxChangeKind.Archived: return archived(n, at);
    case InboxChangeKind.Unarchived: return { archivedAt: null };
    case InboxChangeKind.Snoozed: return { snoozedUntil: f.snoozedUntil ?? null };
    case InboxChangeKind.Unsnoozed: return { snoozedUntil: null };
    case InboxChangeKind.Interacted: return { ...read(n, at), interactedAt: at, interaction: f.interaction ?? null };
    default: return {};
  }
}
