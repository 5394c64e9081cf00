import type { Notification, Severity } from './notification.js';

/**
 * Which notifications a state filter keeps. The one definition the SQL of
 * the lists and counters (libs/database `inbox-filter.sql.ts`) and
 * `matchesInboxFilter` below follow:
 * - `snoozed`: snoozedUntil set (until the wake-up clears it);
 * - `archived`: archivedAt set, not snoozed;
 * - `inbox` (the default): neither archived nor snoozed;
 * - `unread`, `read`, `unseen`: in the inbox, and readAt / seenAt unset or set.
 */
export const INBOX_STATES = ['inbox', 'unseen', 'unread', 'read', 'archived', 'snoozed'] as const;
export type InboxState = (typeof INBOX_STATES)[number];

export const TAG_MATCHES = ['any', 'all'] as const;
export type TagMatch = (typeof TAG_MATCHES)[number];

/** A list's or a count's filter; every field narrows (AND). */
export interface InboxFilter {
  /** Default `inbox`. */
  state?: InboxState;
  category?: string;
  /** With `tagsMatch` `any` (default): at least one of them; `all`: every one. */
  tags?: string[];
  tagsMatch?: TagMatch;
  type?: string;
  severity?: Severity;
  /** createdAt ≥ from (ISO 8601). */
  from?: string;
  /** createdAt < to (ISO 8601). */
  to?: string;
}

/** Counts of the default tabs, kept per user as counters (O(1) to read). */
export interface InboxCounts {
  inbox: number;
  unread: number;
  unseen: number;
  archived: number;
  snoozed: number;
}

/** States a default tab counts, in InboxCounts' order. */
export const COUNTED_STATES = ['inbox', 'unread', 'unseen', 'archived', 'snoozed'] as const satisfies readonly (keyof InboxCounts & InboxState)[];

/** Most named filters in one `POST /v1/notifications/counts`. */
export const MAX_COUNT_FILTERS = 20;
/** Most ids in one bulk change. */
export const MAX_BULK_IDS = 1000;

/** What a bulk change does to each notification it selects. */
export const BULK_ACTIONS = ['seen', 'read', 'archived'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** The kinds of change entry on a user's ordered stream (a new notification is a `notification` frame). */
export const InboxChangeKind = {
  Seen: 'seen',
  Read: 'read',
  Unread: 'unread',
  Archived: 'archived',
  Unarchived: 'unarchived',
  Snoozed: 'snoozed',
  Unsnoozed: 'unsnoozed',
  Interacted: 'interacted',
  Deleted: 'deleted',
  /** A POST grouped into an existing entry; `notification` is the entry now, moved to the top. */
  Grouped: 'grouped',
  /** A snooze ended; `notification` is back at the top, unseen and unread. */
  Woken: 'woken',
  /** `action` applied to `ids`, or to every notification matching `filter` the client holds. */
  Bulk: 'bulk',
} as const;
export type InboxChangeKind = (typeof InboxChangeKind)[keyof typeof InboxChangeKind];

/** The fields a state filter reads. */
export type StatefulNotification = Pick<Notification, 'readAt' | 'seenAt' | 'archivedAt' | 'snoozedUntil'>;

/** Whether `n` is in `state` (see INBOX_STATES). */
export function inState(n: StatefulNotification, state: InboxState): boolean {
  const snoozed = n.snoozedUntil != null;
  if (state === 'snoozed') return snoozed;
  if (snoozed) return false;
  if (state === 'archived') return n.archivedAt != null;
  if (n.archivedAt != null) return false;
  if (state === 'unread') return n.readAt === null;
  if (state === 'read') return n.readAt !== null;
  if (state === 'unseen') return n.seenAt == null;
  return true;
}

/** The reference for what a filter keeps; the server's SQL agrees with it (a test holds both to the same cases). */
export function matchesInboxFilter(n: Notification, f: InboxFilter): boolean {
  if (!inState(n, f.state ?? 'inbox')) return false;
  if (f.category !== undefined && (n.category ?? null) !== f.category) return false;
  if (f.type !== undefined && n.type !== f.type) return false;
  if (f.severity !== undefined && n.severity !== f.severity) return false;
  if (f.from !== undefined && Date.parse(n.createdAt) < Date.parse(f.from)) return false;
  if (f.to !== undefined && Date.parse(n.createdAt) >= Date.parse(f.to)) return false;
  if (f.tags?.length) {
    const tags = n.tags ?? [];
    const has = (t: string) => tags.includes(t);
    if (f.tagsMatch === 'all' ? !f.tags.every(has) : !f.tags.some(has)) return false;
  }
  return true;
}
