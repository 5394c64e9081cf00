/** Severity of a notification; `info` when a publisher gives none. */
export const SEVERITIES = ['info', 'success', 'warning', 'error'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A stored notification as the REST API and the socket deliver it. */
export interface Notification {
  id: string;
  /** Per-user sequence number: starts at 1, no gaps. */
  seq: number;
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
  seq: number;
  createdAt: string;
}

/** `GET /v1/notifications` answer. */
export interface NotificationPage {
  items: Notification[];
  nextCursor: string | null;
}
