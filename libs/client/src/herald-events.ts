import type { Broadcast, ChangeFrame, InboxCounts, Notification } from '@herald/contracts';
import type { ConnectionState } from './connection-state.js';

/** What the server said when a socket was accepted. */
export interface WelcomeInfo {
  connectionId: string;
  userId: string;
  /** The user's newest seq at the moment of connecting. */
  lastSeq: number;
  unreadCount: number;
  serverTime: string;
  /** Newest first; only on the first connect and only with the `recent` option. */
  recent: Notification[];
}

/** Why `client.inbox` changed; render again from `client.inbox.items(filter)` and `counts`. */
export interface InboxUpdate {
  reason: 'welcome' | 'notification' | 'change' | 'counts' | 'load' | 'action';
  /** The default tabs' counts after it (null before a server with inbox states said them). */
  counts: InboxCounts | null;
}

/** Events of `HeraldClient`, each with the one value its listeners receive. */
export type HeraldEvents = {
  /** A new notification, in seq order, exactly once (live, replayed or gap-filled). */
  notification: Notification;
  /** An inbox change (seen, read, archived, snoozed, grouped, woken, bulk…) in stream order, once, already applied to `client.inbox`. */
  change: ChangeFrame;
  /** `client.inbox` changed: its items or counts. */
  inbox: InboxUpdate;
  /** Read state changed, possibly in another tab or device. */
  updated: { id: string; readAt: string | null };
  deleted: { id: string };
  readAll: { readAt: string };
  /** The unread count; emitted when it changes. */
  unread: number;
  /** A live broadcast to every connected user; never stored, at most once. */
  broadcast: Broadcast;
  state: ConnectionState;
  welcome: WelcomeInfo;
  /** The `ts` of a `pong` answering `ping()`. */
  pong: number;
  /** HeraldCloseError (stopped), HeraldApiError (REST), HeraldFrameError (server refused a frame). */
  error: Error;
};
