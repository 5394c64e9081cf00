import { ServerFrameType, type ChangeFrame, type InboxChangeKind, type InboxCounts } from '@herald/contracts';
import { isoTimestamp, notificationColumnsOf, toNotification, type NotificationRow } from '../notification-row.js';

/**
 * The columns a change entry is read with: the inbox_changes row `c`, and
 * for `grouped` and `woken` the notification as it is now (`n`, joined on
 * the entry's one id; all null when it was deleted since).
 */
export const CHANGE_ENTRY_COLUMNS = `c.user_id AS c_user_id, c.seq AS c_seq, c.kind AS c_kind, c.ids AS c_ids, c.detail AS c_detail,
  c.counts AS c_counts, c.at AS c_at, ${notificationColumnsOf('n')}`;

/** The join CHANGE_ENTRY_COLUMNS needs, after `FROM inbox_changes c`. */
export const CHANGE_ENTRY_JOIN = `LEFT JOIN notifications n ON c.kind IN ('grouped', 'woken') AND n.id = c.ids[1] AND n.user_id = c.user_id`;

export interface ChangeEntryRow extends NotificationRow {
  c_user_id: string;
  c_seq: string | number;
  c_kind: InboxChangeKind;
  c_ids: string[];
  c_detail: Record<string, unknown> | string | null;
  c_counts: InboxCounts | string;
  c_at: Date | string;
}

const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

export function toChangeFrame(row: ChangeEntryRow): ChangeFrame {
  const frame: ChangeFrame = {
    type: ServerFrameType.Change,
    seq: Number(row.c_seq),
    change: row.c_kind,
    at: isoTimestamp(row.c_at) as string,
    ids: row.c_ids.map(String),
    counts: json(row.c_counts),
    ...(row.c_detail === null ? {} : json(row.c_detail)),
  };
  if (row.c_kind === 'grouped' || row.c_kind === 'woken') frame.notification = row.id === null ? null : toNotification(row);
  return frame;
}
