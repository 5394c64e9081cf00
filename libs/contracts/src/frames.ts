import type { BulkAction, InboxChangeKind, InboxCounts, InboxFilter } from './inbox.js';
import type { Broadcast, Notification } from './notification.js';
import { TopicClientFrameType, TopicServerFrameType, type TopicClientFrame, type TopicServerFrame } from './topic-frames.js';

/** Frame type names, server → client. Nothing spells these as bare strings. */
export const ServerFrameType = {
  Welcome: 'welcome',
  Notification: 'notification',
  Synced: 'synced',
  ResyncRequired: 'resync_required',
  /** A change to the inbox, an entry on the user's ordered stream (see ChangeFrame). */
  Change: 'inbox.change',
  NotificationUpdated: 'notification.updated',
  NotificationDeleted: 'notification.deleted',
  ReadAll: 'notifications.read_all',
  Unread: 'unread',
  Broadcast: 'broadcast',
  Pong: 'pong',
  Error: 'error',
  ...TopicServerFrameType,
} as const;

/** Frame type names, client → server. */
export const ClientFrameType = {
  Ping: 'ping',
  Auth: 'auth',
  ...TopicClientFrameType,
} as const;

export interface WelcomeFrame {
  type: typeof ServerFrameType.Welcome;
  connectionId: string;
  userId: string;
  lastSeq: number;
  unreadCount: number;
  /** The default tabs' counts, exact at `lastSeq` (read with it); absent from servers before inbox states. */
  counts?: InboxCounts;
  heartbeatMs: number;
  serverTime: string;
  /** The newest notifications, newest first, when `?recent=N` was given. */
  recent?: Notification[];
}
export interface NotificationFrame {
  type: typeof ServerFrameType.Notification;
  notification: Notification;
}
export interface SyncedFrame {
  type: typeof ServerFrameType.Synced;
  seq: number;
}
export interface ResyncRequiredFrame {
  type: typeof ServerFrameType.ResyncRequired;
  lastSeq: number;
}
/**
 * A change to the user's inbox: an entry of the user's ordered stream at
 * `seq`, replayed on resume and gap-filled like a `notification` frame.
 * `counts` are the default tabs' counts exact at `seq`. The fields beyond
 * `ids` depend on `change` (see docs/protocol.md, "Inbox changes").
 */
export interface ChangeFrame {
  type: typeof ServerFrameType.Change;
  seq: number;
  change: InboxChangeKind;
  /** When the change was made (the time it wrote into readAt, seenAt, …). */
  at: string;
  /** The notifications it changed (none for a bulk change by filter). */
  ids: string[];
  counts: InboxCounts;
  /** `snoozed`: until when. */
  snoozedUntil?: string;
  /** `interacted`: the action id, or `link`. */
  interaction?: string;
  /** `bulk`: what was done, and (instead of ids) the filter that chose the notifications. */
  action?: BulkAction;
  filter?: InboxFilter;
  /** `grouped`, `woken`: the notification as it is now (null if it was deleted since). */
  notification?: Notification | null;
}
export interface NotificationUpdatedFrame {
  type: typeof ServerFrameType.NotificationUpdated;
  id: string;
  readAt: string | null;
}
export interface NotificationDeletedFrame {
  type: typeof ServerFrameType.NotificationDeleted;
  id: string;
}
export interface ReadAllFrame {
  type: typeof ServerFrameType.ReadAll;
  readAt: string;
}
export interface UnreadFrame {
  type: typeof ServerFrameType.Unread;
  count: number;
}
export interface BroadcastFrame {
  type: typeof ServerFrameType.Broadcast;
  broadcast: Broadcast;
}
export interface PongFrame {
  type: typeof ServerFrameType.Pong;
  ts: number;
}
export interface ErrorFrame {
  type: typeof ServerFrameType.Error;
  code: FrameErrorCode;
  message: string;
  /** The topic (or pattern) a refused `subscribe` or `unsubscribe` named. */
  topic?: string;
}

export type ServerFrame =
  | WelcomeFrame
  | NotificationFrame
  | ChangeFrame
  | SyncedFrame
  | ResyncRequiredFrame
  | NotificationUpdatedFrame
  | NotificationDeletedFrame
  | ReadAllFrame
  | UnreadFrame
  | BroadcastFrame
  | PongFrame
  | ErrorFrame
  | TopicServerFrame;

/** Frames that change a user's inbox, pushed to all of that user's sockets. */
export type InboxChangeFrame =
  | NotificationUpdatedFrame
  | NotificationDeletedFrame
  | ReadAllFrame
  | UnreadFrame;

export interface PingFrame {
  type: typeof ClientFrameType.Ping;
}
export interface AuthFrame {
  type: typeof ClientFrameType.Auth;
  token: string;
}
export type ClientFrame = PingFrame | AuthFrame | TopicClientFrame;

/** Codes carried by `error` frames answering a bad client frame. */
export const FrameErrorCode = {
  MalformedFrame: 'malformed_frame',
  UnknownType: 'unknown_type',
  InvalidToken: 'invalid_token',
  WrongUser: 'wrong_user',
  /** A topic name or pattern that is malformed, or a pattern its namespace does not allow. */
  InvalidTopic: 'invalid_topic',
  /** Neither the user's token nor a subscription token grants the topic. */
  TopicForbidden: 'topic_forbidden',
  /** The socket already follows the most topics allowed. */
  TooManyTopics: 'too_many_topics',
  /** More subscribe frames per second than allowed: retry the refused topics later. */
  RateLimited: 'rate_limited',
  /** The topic's state could not be read right now: retry later. */
  Unavailable: 'unavailable',
} as const;
export type FrameErrorCode = (typeof FrameErrorCode)[keyof typeof FrameErrorCode];
