/** Severity of a notification; `info` when a publisher gives none. */
export const SEVERITIES = ['info', 'success', 'warning', 'error'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * A stored notification as the REST API and the socket deliver it. The
 * inbox fields (activitySeq and the fields after expiresAt) are always sent
 * by this version; they are optional in the type because a server from
 * before them (a gateway not yet rolled) sends rows without them.
 */
export interface Notification {
  id: string;
  /** The position its creation took in the user's ordered stream (starts at 1; the stream has no gaps). */
  seq: number;
  /**
   * The position of the entry that last put it at the top: its own `seq`,
   * then the `grouped` or `woken` change that moved it. Lists are newest
   * `activitySeq` first.
   */
  activitySeq?: number;
  userId: string;
  type: string;
  title: string;
  body: string | null;
  severity: Severity;
  data: Record<string, unknown> | null;
  link: string | null;
  createdAt: string;
  readAt: string | null;
  expiresAt: string | null;
  /** Tab it belongs to (preferences file it under `general` when null). */
  category?: string | null;
  /** Up to MAX_TAGS labels to filter by. */
  tags?: string[];
  /** Up to MAX_ACTIONS buttons. */
  actions?: NotificationAction[];
  /** Image URL to show beside it. */
  avatar?: string | null;
  /** Who caused it, as shown ("Ana"). */
  actor?: string | null;
  /** Notifications of one user with the same key group into one entry while it is unread (see `group`). */
  groupKey?: string | null;
  /** Set once a second notification grouped into this one. */
  group?: NotificationGroup | null;
  /** First shown in a list (the SDK reports it). */
  seenAt?: string | null;
  archivedAt?: string | null;
  /** Out of lists and counts until then; a wake-up brings it back as new. */
  snoozedUntil?: string | null;
  /** An action or the link was used: when, and which (`interaction`: an action id or `link`). */
  interactedAt?: string | null;
  interaction?: string | null;
  /** First written to one of the user's sockets. */
  deliveredAt?: string | null;
  /**
   * The position on the user's stream its states (seenAt, readAt,
   * archivedAt, snoozedUntil, interactedAt) were read at: change entries at
   * or below it are already in them (a copy replayed on resume or listed
   * over REST shows its states as of then, not as of its creation).
   */
  stateSeq?: number;
}

/** Most tags, actions and remembered group actors per notification. */
export const MAX_TAGS = 10;
export const MAX_ACTIONS = 3;
export const MAX_GROUP_ACTORS = 5;
/** The `interaction` of a notification whose link was used. */
export const LINK_INTERACTION = 'link';

export const ACTION_STYLES = ['primary', 'secondary', 'danger'] as const;
export type ActionStyle = (typeof ACTION_STYLES)[number];

/** A button on a notification. */
export interface NotificationAction {
  /** `^[a-z0-9][a-z0-9_.-]{0,31}$`; reported back as the `interaction`. */
  id: string;
  label: string;
  url?: string;
  style: ActionStyle;
}

/** What grouping added to an entry: "Ana and 3 others commented". */
export interface NotificationGroup {
  /** Notifications in the entry, the first one included. */
  count: number;
  /** The most recent distinct actors, newest first (at most MAX_GROUP_ACTORS). */
  actors: string[];
  /** When the newest notification grouped in. */
  lastAt: string;
}

/** A live broadcast: reaches connected sockets only, never stored. */
export interface Broadcast {
  id: string;
  type: string;
  title: string;
  body: string | null;
  severity: Severity;
  data: Record<string, unknown> | null;
  createdAt: string;
}

/** One entry of the answer to `POST /v1/notifications`. */
export interface PublishedNotification {
  id: string;
  userId: string;
  /** The position this POST took: the new entry's `seq`, or the `grouped` change's when it grouped into an existing entry. */
  seq: number;
  createdAt: string;
  /** True when it grouped into an existing entry (`id` is that entry's). */
  grouped?: boolean;
}

/** `GET /v1/notifications` answer. */
export interface NotificationPage {
  items: Notification[];
  nextCursor: string | null;
}
