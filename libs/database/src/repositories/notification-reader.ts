import type { Notification } from '@herald/contracts';
import type { SqlExecutor } from '../database.js';
import { NOTIFICATION_COLUMNS, toNotification, type NotificationRow } from '../notification-row.js';

export interface UserState {
  lastSeq: number;
  unreadCount: number;
}

export interface ListQuery {
  limit: number;
  /** Only rows with seq below this (newest-first paging). */
  before?: number;
  unread?: boolean;
  type?: string;
}

const LIVE = '(expires_at IS NULL OR expires_at > now())';

/**
 * The reads both apps make: the api for the inbox, the gateway for welcome,
 * resume and gap fill. Read-only, so the gateway may hold it; the writes to
 * the same tables, and the rules they keep, are InboxRepository's.
 */
export class NotificationReader {
  constructor(private readonly db: SqlExecutor) {}

  async userState(userId: string): Promise<UserState> {
    const rows = await this.db.query<{ last_seq: string; unread_count: number }>(
      'SELECT last_seq, unread_count FROM user_states WHERE user_id = $1',
      [userId],
    );
    return rows[0] ? { lastSeq: Number(rows[0].last_seq), unreadCount: rows[0].unread_count } : { lastSeq: 0, unreadCount: 0 };
  }

  /** userState for many users in one query; users without a row get zeros. */
  async userStates(userIds: string[]): Promise<Map<string, UserState>> {
    const rows = userIds.length
      ? await this.db.query<{ user_id: string; last_seq: string; unread_count: number }>(
          'SELECT user_id, last_seq, unread_count FROM user_states WHERE user_id = ANY($1::varchar[])',
          [userIds],
        )
      : [];
    const states = new Map(userIds.map((u): [string, UserState] => [u, { lastSeq: 0, unreadCount: 0 }]));
    for (const r of rows) states.set(r.user_id, { lastSeq: Number(r.last_seq), unreadCount: r.unread_count });
    return states;
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

  /** Newest first with optional filters; cursor is the last seq returned. */
  async list(userId: string, q: ListQuery): Promise<Notification[]> {
    const rows = await this.db.query<NotificationRow>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications
        WHERE user_id = $1 AND ($2::bigint IS NULL OR seq < $2)
          AND ($3::boolean IS NOT TRUE OR read_at IS NULL)
          AND ($4::varchar IS NULL OR type = $4) AND ${LIVE}
        ORDER BY seq DESC LIMIT $5`,
      [userId, q.before ?? null, q.unread ?? null, q.type ?? null, q.limit],
    );
    return rows.map(toNotification);
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
      `SELECT ${NOTIFICATION_COLUMNS.split(', ').map((c) => `n.${c}`).join(', ')}
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
