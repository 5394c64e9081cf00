import { notificationFrame, type ChangeFrame, type InboxCounts, type InboxFilter, type Notification, type NotificationFrame } from '@herald/contracts';
import type { SqlExecutor } from '../database.js';
import { NOTIFICATION_COLUMNS, notificationColumnsOf, toNotification, type NotificationRow } from '../notification-row.js';
import { CHANGE_ENTRY_COLUMNS, CHANGE_ENTRY_JOIN, toChangeFrame, type ChangeEntryRow } from './change-entry-row.js';
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

const positionOf = (e: StreamEntry) => (e.type === 'notification' ? e.notification.seq : e.seq);

export interface ListQuery {
  limit: number;
  /** Only rows with activitySeq below this (newest-first paging). */
  before?: number;
  /** Default: the inbox state, nothing else. */
  filter?: InboxFilter;
}

const LIVE = '(expires_at IS NULL OR expires_at > now())';
const LIVE_N = '(n.expires_at IS NULL OR n.expires_at > now())';

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
   * theirs, merged. Resume, gap fill and `GET /v1/notifications/entries`.
   */
  async entriesAfter(userId: string, after: number, limit: number, below?: number): Promise<StreamEntry[]> {
    const [notes, changes] = await Promise.all([
      this.after(userId, after, limit, below),
      this.db.query<ChangeEntryRow>(
        `SELECT ${CHANGE_ENTRY_COLUMNS} FROM inbox_changes c ${CHANGE_ENTRY_JOIN}
          WHERE c.user_id = $1 AND c.seq > $2 AND ($4::bigint IS NULL OR c.seq < $4) ORDER BY c.seq ASC LIMIT $3`,
        [userId, after, limit, below ?? null],
      ),
    ]);
    return mergeEntries(notes.map(notificationFrame), changes.map(toChangeFrame)).slice(0, limit);
  }

  /** entriesAfter for many users in two queries (resume storms, re-sync after a bus outage). */
  async entriesAfterForUsers(cursors: Map<string, number>, limitPerUser: number): Promise<Map<string, StreamEntry[]>> {
    const byUser = new Map<string, StreamEntry[]>();
    if (cursors.size === 0) return byUser;
    const users = [...cursors.keys()];
    const afters = users.map((u) => cursors.get(u) as number);
    const [notes, changes] = await Promise.all([
      this.afterForUsers(cursors, limitPerUser),
      this.db.query<ChangeEntryRow>(
        `SELECT x.* FROM unnest($1::varchar[], $2::bigint[]) AS k(user_id, after)
           CROSS JOIN LATERAL (
             SELECT ${CHANGE_ENTRY_COLUMNS} FROM inbox_changes c ${CHANGE_ENTRY_JOIN}
              WHERE c.user_id = k.user_id AND c.seq > k.after ORDER BY c.seq ASC LIMIT $3) x`,
        [users, afters, limitPerUser],
      ),
    ]);
    const noteFrames = new Map<string, NotificationFrame[]>();
    for (const n of notes) push(noteFrames, n.userId, notificationFrame(n));
    const changeFrames = new Map<string, ChangeFrame[]>();
    for (const row of changes) push(changeFrames, row.c_user_id, toChangeFrame(row));
    for (const u of new Set([...noteFrames.keys(), ...changeFrames.keys()])) {
      byUser.set(u, mergeEntries(noteFrames.get(u) ?? [], changeFrames.get(u) ?? []).slice(0, limitPerUser));
    }
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
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications
        WHERE user_id = $1 AND seq > $2 AND ($4::bigint IS NULL OR seq < $4) AND ${LIVE}
        ORDER BY seq ASC LIMIT $3`,
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
      `SELECT ${notificationColumnsOf('n')}
         FROM unnest($1::varchar[], $2::bigint[]) AS c(user_id, after)
         CROSS JOIN LATERAL (
           SELECT * FROM notifications
            WHERE user_id = c.user_id AND seq > c.after AND ${LIVE}
            ORDER BY seq ASC LIMIT $3) n
        ORDER BY n.user_id, n.seq`,
      [users, afters, limitPerUser],
    );
    return rows.map(toNotification);
  }
}

/** Two lists each in position order, as one. */
function mergeEntries(a: StreamEntry[], b: StreamEntry[]): StreamEntry[] {
  const out: StreamEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && positionOf(a[i]) < positionOf(b[j]))) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
