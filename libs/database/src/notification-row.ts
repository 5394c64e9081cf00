import type { Notification, Severity } from '@herald/contracts';

/** Columns every notification read selects, in the shape toNotification maps. */
export const NOTIFICATION_COLUMNS =
  'id, user_id, seq, type, title, body, severity, data, link, created_at, read_at, expires_at';

export interface NotificationRow {
  id: string;
  user_id: string;
  seq: string | number;
  type: string;
  title: string;
  body: string | null;
  severity: string;
  data: Record<string, unknown> | string | null;
  link: string | null;
  created_at: Date | string;
  read_at: Date | string | null;
  expires_at: Date | string | null;
}

/** A timestamp column as the wire's ISO 8601 string; null stays null. */
export const isoTimestamp = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

/** Maps a row to the wire object; bigint seq arrives as a string from pg. */
export function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    seq: Number(row.seq),
    userId: row.user_id,
    type: row.type,
    title: row.title,
    body: row.body,
    severity: row.severity as Severity,
    data: typeof row.data === 'string' ? (JSON.parse(row.data) as Record<string, unknown>) : row.data,
    link: row.link,
    createdAt: isoTimestamp(row.created_at) as string,
    readAt: isoTimestamp(row.read_at),
    expiresAt: isoTimestamp(row.expires_at),
  };
}
