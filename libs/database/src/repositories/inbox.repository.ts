import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '../database.js';
import { inLockOrder } from '../lock-order.js';
import { isoTimestamp } from '../notification-row.js';
import { prepared } from '../prepared.js';
import { OUTBOX_DELIVERED } from './outbox.sql.js';
import type { PurgeOutcome } from './purge-outcome.js';

/** A validated notification on its way in; a field left out gets its column default. */
export interface NewNotification {
  type: string;
  title: string;
  body?: string | null;
  /** Default 'info'. */
  severity?: string;
  data?: Record<string, unknown> | null;
  link?: string | null;
  /** ISO 8601; default: never expires. */
  expiresAt?: string | null;
}

/** One POST: its notification and its recipients, each named once. */
export interface AppendRequest {
  notification: NewNotification;
  recipients: string[];
}

/** What append decided for one row; the rest of the row is what the request said. */
export interface AppendedRow {
  id: string;
  userId: string;
  seq: number;
  createdAt: string;
}

/** A change to one notification: its read_at now, and the user's new unread count when it moved. */
export interface InboxChange {
  readAt: string | null;
  unreadCount?: number;
}

/** Expired, or older than the retention window (`$1` days). */
const OUT_OF_RETENTION = '(expires_at < now() OR created_at < now() - make_interval(days => $1::int))';

/**
 * Every write to a user's inbox: the aggregate of one user_states row (the
 * root: seq and counters) and that user's notifications. Its rules live here
 * and nowhere else:
 * - a write locks the user's user_states row before it touches the user's
 *   notifications (append takes it through its upsert), and several users'
 *   rows are locked in lock order: writes serialise per user and never
 *   deadlock;
 * - seq is per user and gapless; user_states rows are never deleted, so seq
 *   never restarts;
 * - unread_count changes in the same transaction as the read_at it counts,
 *   under that lock, so it stays exact without a scan. A new counter
 *   (seen, archived, …) follows the same pattern beside it.
 * Reads of the same tables are NotificationReader's.
 */
export class InboxRepository {
  /**
   * Allocates every recipient's seqs and inserts every row of a batch of
   * POSTs in ONE statement: atomic on its own, so `exec` may be the Database
   * (no BEGIN/COMMIT round trips) or the caller's transaction. It is ingest's
   * hot path, which is why it lives here as one statement rather than as a
   * user_states call plus a notifications call: what makes it correct is the
   * aggregate's rules above. The upsert takes each user's row lock in lock
   * order and adds the user's row count to last_seq and unread_count; each
   * row's seq is counted back from the new last_seq (`back`), so a user's
   * seqs stay gapless and in request order. Per-request fields travel once
   * per request, not once per row. Answers the rows of each request, in order.
   */
  async append(exec: SqlExecutor, requests: AppendRequest[]): Promise<AppendedRow[][]> {
    if (requests.length === 0) return [];
    const perUser = new Map<string, number>();
    for (const { recipients } of requests) for (const u of recipients) perUser.set(u, (perUser.get(u) ?? 0) + 1);
    const users = inLockOrder(perUser.keys());
    const seen = new Map<string, number>();
    const ids: string[] = [];
    const rowUsers: string[] = [];
    const backs: number[] = [];
    const owners: number[] = [];
    requests.forEach(({ recipients }, r) => {
      for (const u of recipients) {
        const rank = (seen.get(u) ?? 0) + 1;
        seen.set(u, rank);
        ids.push(randomUUID());
        rowUsers.push(u);
        backs.push((perUser.get(u) as number) - rank);
        owners.push(r + 1);
      }
    });
    const field = <T>(f: (n: NewNotification) => T) => requests.map(({ notification }) => f(notification));
    // Fixed text whatever the batch (every value is an array parameter): prepared once per connection.
    const inserted = await exec.query<{ id: string; seq: string; created_at: Date }>(
      prepared(`WITH st AS (
         INSERT INTO user_states AS s (user_id, last_seq, unread_count)
           SELECT u, n, n FROM unnest($1::varchar[], $2::bigint[]) WITH ORDINALITY AS t(u, n, o) ORDER BY o
         ON CONFLICT (user_id) DO UPDATE SET last_seq = s.last_seq + EXCLUDED.last_seq, unread_count = s.unread_count + EXCLUDED.unread_count
         RETURNING user_id, last_seq
       ), ins AS (
       INSERT INTO notifications (id, user_id, seq, type, title, body, severity, data, link, expires_at, created_at)
         SELECT i.id, i.u, st.last_seq - i.back, q.ty, q.ti, q.b, q.sv, q.d::jsonb, q.l, q.e::timestamptz, now()
           FROM unnest($3::uuid[], $4::varchar[], $5::bigint[], $6::int[]) AS i(id, u, back, r)
           JOIN st ON st.user_id = i.u
           JOIN unnest($7::varchar[], $8::varchar[], $9::text[], $10::varchar[], $11::text[], $12::text[], $13::text[])
             WITH ORDINALITY AS q(ty, ti, b, sv, d, l, e, r) ON q.r = i.r
       RETURNING id, user_id, seq, type, created_at
       ), ${OUTBOX_DELIVERED}
       SELECT id, seq, created_at FROM ins`),
      [
        users, users.map((u) => perUser.get(u)), ids, rowUsers, backs, owners,
        field((n) => n.type), field((n) => n.title), field((n) => n.body ?? null), field((n) => n.severity ?? 'info'),
        field((n) => (n.data === undefined ? null : JSON.stringify(n.data))), field((n) => n.link ?? null), field((n) => n.expiresAt ?? null),
      ],
    );
    const byId = new Map(inserted.map((row) => [row.id, row]));
    let next = 0;
    return requests.map(({ recipients }) =>
      recipients.map((userId) => {
        const id = ids[next++];
        const row = byId.get(id) as { seq: string; created_at: Date };
        return { id, userId, seq: Number(row.seq), createdAt: new Date(row.created_at).toISOString() };
      }),
    );
  }

  /**
   * Marks one of the user's notifications read (`read`) or unread, inside
   * the caller's transaction. undefined: the user has no such notification.
   * `unreadCount` is the user's new count, present only when the row changed.
   */
  async setRead(tx: SqlExecutor, userId: string, id: string, read: boolean): Promise<InboxChange | undefined> {
    await this.lockUser(tx, userId);
    const [changed] = await tx.query<{ read_at: Date | null }>(
      `UPDATE notifications SET read_at = ${read ? 'now()' : 'NULL'}
        WHERE id = $1 AND user_id = $2 AND read_at IS ${read ? '' : 'NOT '}NULL RETURNING read_at`,
      [id, userId],
    );
    if (!changed) {
      const [current] = await tx.query<{ read_at: Date | null }>('SELECT read_at FROM notifications WHERE id = $1 AND user_id = $2', [id, userId]);
      return current && { readAt: isoTimestamp(current.read_at) };
    }
    const unreadCount = await this.adjustUnread(tx, userId, read ? -1 : 1);
    return { readAt: isoTimestamp(changed.read_at), unreadCount };
  }

  /** Marks all the user's unread notifications read, inside the caller's transaction. */
  async markAllRead(tx: SqlExecutor, userId: string): Promise<{ readAt: string; updated: number }> {
    await this.lockUser(tx, userId);
    const rows = await tx.query<{ read_at: Date }>(
      'UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL RETURNING read_at',
      [userId],
    );
    const [now] = await tx.query<{ now: Date }>('SELECT now() AS now');
    if (rows.length) await this.adjustUnread(tx, userId, -rows.length);
    return { readAt: isoTimestamp(now.now) as string, updated: rows.length };
  }

  /**
   * Deletes one of the user's notifications, inside the caller's
   * transaction. undefined: the user has no such notification.
   * `unreadCount` is the user's new count, present when the row was unread.
   */
  async remove(tx: SqlExecutor, userId: string, id: string): Promise<Pick<InboxChange, 'unreadCount'> | undefined> {
    await this.lockUser(tx, userId);
    const [deleted] = await tx.query<{ read_at: Date | null }>(
      'DELETE FROM notifications WHERE id = $1 AND user_id = $2 RETURNING read_at',
      [id, userId],
    );
    if (!deleted) return undefined;
    return deleted.read_at === null ? { unreadCount: await this.adjustUnread(tx, userId, -1) } : {};
  }

  /**
   * Deletes up to `batchSize` expired or too-old notifications, inside the
   * caller's transaction, and takes their unread ones off `unread_count`.
   * The owners' user_states rows are locked first, in lock order, so
   * `read_at` cannot change under us and the decrement is exact.
   */
  async purgeOutOfRetention(tx: SqlExecutor, retentionDays: number, batchSize: number): Promise<PurgeOutcome> {
    const candidates = await tx.query<{ id: string; user_id: string }>(
      `SELECT id, user_id FROM notifications WHERE ${OUT_OF_RETENTION} LIMIT $2`,
      [retentionDays, batchSize],
    );
    if (candidates.length === 0) return { scanned: 0, deleted: 0 };
    await this.lockUsers(tx, candidates.map((c) => c.user_id));
    // Re-checked after the locks: a row the user deleted meanwhile is simply not returned.
    const deleted = await tx.query<{ user_id: string; unread: boolean }>(
      `DELETE FROM notifications WHERE id = ANY($2::uuid[]) AND ${OUT_OF_RETENTION}
       RETURNING user_id, read_at IS NULL AS unread`,
      [retentionDays, candidates.map((c) => c.id)],
    );
    const unread = unreadByUser(deleted);
    if (unread.size > 0) {
      await tx.query(
        `UPDATE user_states s SET unread_count = GREATEST(s.unread_count - d.n, 0)
           FROM unnest($1::varchar[], $2::int[]) AS d(u, n) WHERE s.user_id = d.u`,
        [[...unread.keys()], [...unread.values()]],
      );
    }
    return { scanned: candidates.length, deleted: deleted.length };
  }

  private async lockUser(tx: SqlExecutor, userId: string): Promise<void> {
    await tx.query('SELECT 1 FROM user_states WHERE user_id = $1 FOR UPDATE', [userId]);
  }

  /** Locked by ordinality of a JS-sorted array, so the database collation cannot reorder them. */
  private async lockUsers(tx: SqlExecutor, userIds: string[]): Promise<void> {
    await tx.query(
      `SELECT s.user_id FROM unnest($1::varchar[]) WITH ORDINALITY AS t(u, o)
         JOIN user_states s ON s.user_id = t.u ORDER BY t.o FOR UPDATE OF s`,
      [inLockOrder(new Set(userIds))],
    );
  }

  /** Adds `delta` to unread_count (never below 0); answers the new count. */
  private async adjustUnread(tx: SqlExecutor, userId: string, delta: number): Promise<number> {
    const [row] = await tx.query<{ unread_count: number }>(
      'UPDATE user_states SET unread_count = GREATEST(unread_count + $2, 0) WHERE user_id = $1 RETURNING unread_count',
      [userId, delta],
    );
    return row?.unread_count ?? 0;
  }
}

/** Deleted rows → how many unread ones each user lost. */
export function unreadByUser(rows: { user_id: string; unread: boolean }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) if (row.unread) counts.set(row.user_id, (counts.get(row.user_id) ?? 0) + 1);
  return counts;
}
