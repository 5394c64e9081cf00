import type { Notification, NotificationAction, Severity } from '@herald/contracts';
import { RECEIPTS_TABLE, receiptCreatedAt } from './partition-periods.js';

/** The notifications columns toNotification maps. */
const COLUMNS =
  'id, user_id, seq, activity_seq, type, title, body, severity, data, link, created_at, read_at, expires_at, ' +
  'category, tags, actions, avatar, actor, group_key, group_count, group_actors, grouped_at, ' +
  'seen_at, archived_at, snoozed_until, interacted_at, interaction';

/**
 * What a notification read selects over table alias `alias`: its columns;
 * `delivered_at`, from its receipt (one primary-key probe in the one
 * receipts partition its created_at falls in) or from the old column,
 * whichever is earlier, so the first receipt wins across a rolling upgrade
 * (the previous release's gateways still write the column; see the
 * NotificationReceipts migration); and `state_seq`, its user's last_seq in
 * the same snapshot (the position the states read are exact at; see
 * Notification.stateSeq).
 */
export const notificationColumnsOf = (alias: string): string =>
  `${COLUMNS.split(', ').map((c) => `${alias}.${c}`).join(', ')}, ` +
  `LEAST(${alias}.delivered_at, (SELECT r.delivered_at FROM ${RECEIPTS_TABLE} r ` +
  `WHERE r.notification_id = ${alias}.id AND r.created_at = ${receiptCreatedAt(`${alias}.created_at`)})) AS delivered_at, ` +
  `(SELECT s.last_seq FROM user_states s WHERE s.user_id = ${alias}.user_id) AS state_seq`;

/**
 * The stored columns of `alias` that notificationColumnsOf reads. An inner
 * query that picks rows selects these, and the outer one derives the rest
 * over it (notificationColumnsOf of the inner query's alias), so the
 * receipt and user_states subqueries are planned once and run only for the
 * rows kept, however many branches the inner query has.
 */
export const storedColumnsOf = (alias: string): string => [...COLUMNS.split(', '), 'delivered_at'].map((c) => `${alias}.${c}`).join(', ');

/** notificationColumnsOf for `FROM notifications` without an alias. */
export const NOTIFICATION_COLUMNS = notificationColumnsOf('notifications');

type Time = Date | string | null;

export interface NotificationRow {
  id: string;
  user_id: string;
  seq: string | number;
  activity_seq: string | number;
  type: string;
  title: string;
  body: string | null;
  severity: string;
  data: Record<string, unknown> | string | null;
  link: string | null;
  created_at: Date | string;
  read_at: Time;
  expires_at: Time;
  category: string | null;
  tags: string[] | null;
  actions: NotificationAction[] | string | null;
  avatar: string | null;
  actor: string | null;
  group_key: string | null;
  group_count: number;
  group_actors: string[] | null;
  grouped_at: Time;
  seen_at: Time;
  archived_at: Time;
  snoozed_until: Time;
  interacted_at: Time;
  interaction: string | null;
  delivered_at: Time;
  state_seq?: string | number | null;
}

/** A timestamp column as the wire's ISO 8601 string; null stays null. */
export const isoTimestamp = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

const json = <T>(v: T | string | null): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

/** Maps a row to the wire object; bigint seq arrives as a string from pg. */
export function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    seq: Number(row.seq),
    activitySeq: Number(row.activity_seq),
    userId: row.user_id,
    type: row.type,
    title: row.title,
    body: row.body,
    severity: row.severity as Severity,
    data: json(row.data),
    link: row.link,
    createdAt: isoTimestamp(row.created_at) as string,
    readAt: isoTimestamp(row.read_at),
    expiresAt: isoTimestamp(row.expires_at),
    category: row.category,
    tags: row.tags ?? [],
    actions: json(row.actions) ?? [],
    avatar: row.avatar,
    actor: row.actor,
    groupKey: row.group_key,
    group: row.group_count > 1
      ? { count: row.group_count, actors: row.group_actors ?? [], lastAt: isoTimestamp(row.grouped_at) as string }
      : null,
    seenAt: isoTimestamp(row.seen_at),
    archivedAt: isoTimestamp(row.archived_at),
    snoozedUntil: isoTimestamp(row.snoozed_until),
    interactedAt: isoTimestamp(row.interacted_at),
    interaction: row.interaction,
    deliveredAt: isoTimestamp(row.delivered_at),
    stateSeq: row.state_seq == null ? Number(row.seq) : Number(row.state_seq),
  };
}
