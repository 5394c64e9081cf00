import { notificationFrame, type ChangeFrame, type InboxCounts, type InboxFilter, type Notification, type NotificationFrame } from '@herald/contracts';
import type { SqlExecutor } from '../database.js';
import { prepared } from '../prepared.js';
import { NOTIFICATION_COLUMNS, notificationColumnsOf, storedColumnsOf, toNotification, type NotificationRow } from '../notification-row.js';
import { CHANGE_COLUMNS, CHANGE_ENTRY_COLUMNS, CHANGE_ENTRY_JOIN, toChangeFrame, type ChangeEntryRow } from './change-entry-row.js';
import { notificationsAboveSql } from './above-seq.sql.js';
import { LIVE, LIVE_N } from './live.sql.js';
import { filterSql } from './inbox-filter.sql.js';
import { COUNTER_COLUMNS, countsOf, type CounterRow } from './inbox-state.sql.js';

export interface UserState {
  lastSeq: number;
  unreadCount: number;
  /** The default tabs' counts, exact at lastSeq (same row). */
  counts: InboxCounts;
}

/** An entry of a user's ordered stream: a new notification or an inbox change. */
export type StreamEntry = NotificationFrame | ChangeFrame;

const NO_STATE: UserState = { lastSeq: 0, unreadCount: 0, counts: { inbox: 0, unread: 0, unseen: 0, archived: 0, snoozed: 0 } };

type StateRow = CounterRow & { user_id: string; last_seq: string };
const toState = (r: StateRow): UserState => ({ lastSeq: Number(r.last_seq), unreadCount: Number(r.unread_count), counts: countsOf(r) });

/**
 * The inner branches of an entries read, column for column, stored columns only: a notification (no change
 * columns; notificationsAboveSql adds pos), or a change entry. ENTRY_COLUMNS is the outer select over them.
 */
const NOTE_COLUMNS = `'n' AS src, NULL::varchar AS c_user_id, NULL::bigint AS c_seq, NULL::varchar AS c_kind, NULL::uuid[] AS c_ids,
  NULL::jsonb AS c_detail, NULL::jsonb AS c_counts, NULL::timestamptz AS c_at, ${storedColumnsOf('n')}`;
const CHANGE_BRANCH = `'c' AS src, ${CHANGE_ENTRY_COLUMNS}, c.seq AS pos`;
const ENTRY_COLUMNS = `x.src, ${CHANGE_COLUMNS.map((c) => `x.${c}`).join(', ')}, ${notificationColumnsOf('x')}`;

/*
 * The reads above a seq have fixed texts, prepared once per connection: with two branches over every partition,
 * planning one took longer than running it (0.65-0.77 against 0.21-0.27 ms; docs/benchmarks.md, round 18), and Postgres's
 * generic plan for them is the ordered index scans a custom plan picks.
 */
const ENTRIES_AFTER = prepared(`SELECT ${ENTRY_COLUMNS} FROM (
    ${notificationsAboveSql(NOTE_COLUMNS, { user: '$1', after: '$2', limit: '$3', below: '$4' })}
    UNION ALL
    (SELECT ${CHANGE_BRANCH} FROM inbox_changes c ${CHANGE_ENTRY_JOIN}
      WHERE c.user_id = $1 AND c.seq > $2 AND ($4::bigint IS NULL OR c.seq < $4) ORDER BY c.seq LIMIT $3)
    ORDER BY pos LIMIT $3) x
  ORDER BY x.pos`);
const ENTRIES_AFTER_FOR_USERS = prepared(`SELECT k.user_id AS k_user, ${ENTRY_COLUMNS} FROM unnest($1::varchar[], $2::bigint[]) AS k(user_id, after)
    CROSS JOIN LATERAL (
      ${notificationsAboveSql(NOTE_COLUMNS, { user: 'k.user_id', after: 'k.after', limit: '$3' })}
      UNION ALL
      (SELECT ${CHANGE_BRANCH} FROM inbox_changes c ${CHANGE_ENTRY_JOIN}
        WHERE c.user_id = k.user_id AND c.seq > k.after ORDER BY c.seq LIMIT $3)
      ORDER BY pos LIMIT $3) x
  ORDER BY k.user_id, x.pos`);
const AFTER = prepared(`SELECT ${notificationColumnsOf('x')} FROM (
    ${notificationsAboveSql(storedColumnsOf('n'), { user: '$1', after: '$2', limit: '$3', below: '$4' })}
    ORDER BY pos LIMIT $3) x
  ORDER BY x.pos`);
const AFTER_FOR_USERS = prepared(`SELECT ${notificationColumnsOf('x')} FROM unnest($1::varchar[], $2::bigint[]) AS c(user_id, after)
    CROSS JOIN LATERAL (
      ${notificationsAboveSql(storedColumnsOf('n'), { user: 'c.user_id', after: 'c.after', limit: '$3' })}
      ORDER BY pos LIMIT $3) x
  ORDER BY x.user_id, x.pos`);

type EntryRow = ChangeEntryRow & { src: 'n' | 'c' };
const toEntry = (row: EntryRow): StreamEntry => (row.src === 'n' ? notificationFrame(toNotification(row)) : toChangeFrame(row));

export interface ListQuery {
  limit: number;
  /** Only rows with activitySeq below this (newest-first paging). */
  before?: number;
  /** Default: the inbox state, nothing else. */
  filter?: InboxFilter;
}


/**
 * The reads both apps make: the api for the inbox, the gateway for welcome,
 * resume and gap fill. Read-only, so the gateway may hold it; the writes to
 * the same tables, and the rules they keep, are InboxRepository's.
 */
export class NotificationReader {
  constructor(private readonly db: SqlExecutor) {}

  async userState(userId: string): Promise<UserState> {
    const rows = await this.db.query<StateRow>(`SELECT user_id, last_seq, ${COUNTER_COLUMNS} FROM user_states WHERE user_id = $1`, [userId]);
    return rows[0] ? toState(rows[0]) : NO_STATE;
  }

  /** userState for many users in one query; users without a row get zeros. */
  async userStates(userIds: string[]): Promise<Map<string, UserState>> {
    const rows = userIds.length
      ? await this.db.query<StateRow>(`SELECT user_id, last_seq, ${COUNTER_COLUMNS} FROM user_states WHERE user_id = ANY($1::varchar[])`, [userIds])
      : [];
    const states = new Map(userIds.map((u): [string, UserState] => [u, NO_STATE]));
    for (const r of rows) states.set(r.user_id, toState(r));
    return states;
  }

  /**
   * The user's stream above `after` (and below `below`), oldest first, at
   * most `limit` entries: notifications by their seq and change entries by
   * theirs, merged, in ONE statement. One snapshot matters: seq N+1 commits
   * after N, so a snapshot holds a prefix of the stream and a reader never
   * sees N+2 without N+1 (two queries could, and a resume that sent N+2
   * would drop the live N+1 as a duplicate). Resume, gap fill, and
   * `GET /v1/notifications/entries`.
   */
  async entriesAfter(userId: string, after: number, limit: number, below?: number): Promise<StreamEntry[]> {
    const rows = await this.db.query<EntryRow>(
      ENTRIES_AFTER,
      [userId, after, limit, below ?? null],
    );
    return rows.map(toEntry);
  }

  /** entriesAfter for many users in one statement (resume storms, re-sync after a bus outage); users with nothing above may be missing. */
  async entriesAfterForUsers(cursors: Map<string, number>, limitPerUser: number): Promise<Map<string, StreamEntry[]>> {
    const byUser = new Map<string, StreamEntry[]>();
    if (cursors.size === 0) return byUser;
    const users = [...cursors.keys()];
    const rows = await this.db.query<EntryRow & { k_user: string }>(
      ENTRIES_AFTER_FOR_USERS,
      [users, users.map((u) => cursors.get(u) as number), limitPerUser],
    );
    for (const row of rows) push(byUser, row.k_user, toEntry(row));
    return byUser;
  }

  /** Live notifications by id, any owner (the worker's push and webhook jobs); missing ids are left out. */
  async byIds(ids: string[]): Promise<Notification[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query<NotificationRow>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE id = ANY($1::uuid[]) AND ${LIVE}`,
      [ids],
    );
    return rows.map(toNotification);
  }

  /** Oldest first, seq > after: resume, gap fill and the polling fallback. */
  async after(userId: string, after: number, limit: number, below?: number): Promise<Notification[]> {
    const rows = await this.db.query<NotificationRow>(
      AFTER,
      [userId, after, limit, below ?? null],
    );
    return rows.map(toNotification);
  }

  /** Newest activity first, filtered (InboxFilter); the cursor is the last activitySeq returned. */
  async list(userId: string, q: ListQuery): Promise<Notification[]> {
    const params: unknown[] = [userId, q.before ?? null, q.limit];
    const rows = await this.db.query<NotificationRow>(
      `SELECT ${notificationColumnsOf('n')} FROM notifications n
        WHERE n.user_id = $1 AND ($2::bigint IS NULL OR n.activity_seq < $2) AND ${filterSql(q.filter ?? {}, params)} AND ${LIVE_N}
        ORDER BY n.activity_seq DESC LIMIT $3`,
      params,
    );
    return rows.map(toNotification);
  }

  /** How many of the user's live notifications `filter` keeps (a tab that is not a counter). */
  async count(userId: string, filter: InboxFilter): Promise<number> {
    const params: unknown[] = [userId];
    const [row] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications n WHERE n.user_id = $1 AND ${filterSql(filter, params)} AND ${LIVE_N}`,
      params,
    );
    return row.n;
  }

  /**
   * Everything above each user's cursor in one query, for a gateway that
   * re-syncs all its users after a Redis outage, or for the resumes that
   * arrive together in a reconnect storm (never one query per user).
   */
  async afterForUsers(cursors: Map<string, number>, limitPerUser: number): Promise<Notification[]> {
    if (cursors.size === 0) return [];
    const users = [...cursors.keys()];
    const afters = users.map((u) => cursors.get(u) as number);
    const rows = await this.db.query<NotificationRow>(
      AFTER_FOR_USERS,
      [users, afters, limitPerUser],
    );
    return rows.map(toNotification);
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
