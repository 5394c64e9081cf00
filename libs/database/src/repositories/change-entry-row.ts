import { ServerFrameType, type ChangeFrame, type InboxChangeKind, type InboxCounts } from '@herald/contracts';
import { isoTimestamp, storedColumnsOf, toNotification, type NotificationRow } from '../notification-row.js';

/** The inbox_changes columns of a change entry, with the names entry reads select them as. */
const CHANGE_COLUMN_NAMES: [column: string, name: string][] = [
  ['user_id', 'c_user_id'], ['seq', 'c_seq'], ['kind', 'c_kind'], ['ids', 'c_ids'], ['detail', 'c_detail'], ['counts', 'c_counts'], ['at', 'c_at'],
];
export const CHANGE_COLUMNS = CHANGE_COLUMN_NAMES.map(([, name]) => name);

/**
 * What an inner query selects for a change entry: the inbox_changes row
 * `c`, and for `grouped` and `woken` the stored columns of the notification
 * as it is now (`n`, joined on the entry's one id; all null when it was
 * deleted since). The outer query derives the notification's read columns
 * over them (notificationColumnsOf).
 */
export const CHANGE_ENTRY_COLUMNS = `${CHANGE_COLUMN_NAMES.map(([column, name]) => `c.${column} AS ${name}`).join(', ')}, ${storedColumnsOf('n')}`;

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
