import type { Broadcast, Notification } from './notification.js';

/** Frame type names, server → client. Nothing spells these as bare strings. */
export const ServerFrameType = {
  Welcome: 'welcome',
  Notification: 'notification',
  Synced: 'synced',
  ResyncRequired: 'resync_required',
  NotificationUpdated: 'notification.updated',
  NotificationDeleted: 'notification.deleted',
  ReadAll: 'notifications.read_all',
  Unread: 'unread',
  Broadcast: 'broadcast',
  Pong: 'pong',
  Error: 'error',
} as const;

/** Frame type names, client → server. */
export const ClientFrameType = {
  Ping: 'ping',
  Auth: 'auth',
} as const;

export interface WelcomeFrame {
  type: typeof ServerFrameType.Welcome;
  connectionId: string;
  userId: string;
  lastSeq: number;
  unreadCount: number;
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
}

export type ServerFrame =
  | WelcomeFrame
  | NotificationFrame
  | SyncedFrame
  | ResyncRequiredFrame
  | NotificationUpdatedFrame
  | NotificationDeletedFrame
  | ReadAllFrame
  | UnreadFrame
  | BroadcastFrame
  | PongFrame
  | ErrorFrame;

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
export type ClientFrame = PingFrame | AuthFrame;

/** Codes carried by `error` frames answering a bad client frame. */
export const FrameErrorCode = {
  MalformedFrame: 'malformed_frame',
  UnknownType: 'unknown_type',
  InvalidToken: 'invalid_token',
  WrongUser: 'wrong_user',
} as const;
export type FrameErrorCode = (typeof FrameErrorCode)[keyof typeof FrameErrorCode];
