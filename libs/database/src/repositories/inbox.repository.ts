import type { NotificationAction } from '@herald/contracts';
import type { SqlExecutor } from '../database.js';
import { APPEND_BATCH, APPEND_ONE } from './append.sql.js';
import { inLockOrder } from '../lock-order.js';
import { newNotificationId } from '../notification-ids.js';
import { addCounters, counterFlags, COUNTERS, type StateCounts } from './inbox-state.sql.js';
import { DEFAULT_PARTITION, RECEIPTS_DEFAULT_PARTITION } from '../partition-periods.js';
import { prepared } from '../prepared.js';
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
  category?: string | null;
  tags?: string[] | null;
  actions?: NotificationAction[] | null;
  avatar?: string | null;
  actor?: string | null;
  groupKey?: string | null;
}

/** One POST: its notification and its recipients, each named once. */
export interface AppendRequest {
  notification: NewNotification;
  recipients: string[];
  /** The principal that published it: services read back only their own. */
  publisher?: string | null;
}

/** What append decided for one row; the rest of the row is what the request said. */
export interface AppendedRow {
  id: string;
  userId: string;
  seq: number;
  createdAt: string;
}

/**
 * A notification's content as the append statements take it, in their
 * parameter order (the batch statement's $7-$19 as arrays, APPEND_ONE's
 * $3-$15 as scalars): JSON travels as text, absent fields as NULL.
 */
const CONTENT_PARAMS: ((n: NewNotification) => unknown)[] = [
  (n) => n.type, (n) => n.title, (n) => n.body ?? null, (n) => n.severity ?? 'info',
  (n) => (n.data === undefined ? null : JSON.stringify(n.data)), (n) => n.link ?? null, (n) => n.expiresAt ?? null,
  (n) => n.category ?? null, (n) => JSON.stringify(n.tags ?? []), (n) => (n.actions?.length ? JSON.stringify(n.actions) : null),
  (n) => n.avatar ?? null, (n) => n.actor ?? null, (n) => n.groupKey ?? null,
];

/** Expired, or older than the retention window (`$1` days). */
const OUT_OF_RETENTION = '(expires_at < now() OR created_at < now() - make_interval(days => $1::int))';
/**
 * Rows retention deletes one by one: expired ones anywhere, and old ones in
 * the DEFAULT partition only. Old rows in a range partition go when the
 * whole partition does (PartitionsRepository): deleting them here would be
 * the row-by-row churn partitioning exists to avoid.
 */
const PURGE_CANDIDATES = `(SELECT id, user_id FROM notifications WHERE expires_at < now() LIMIT $2)
   UNION (SELECT id, user_id FROM ${DEFAULT_PARTITION} WHERE created_at < now() - make_interval(days => $1::int) LIMIT $2)
   LIMIT $2`;

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
 * - the counters (unread_count and one per default tab, inbox-state.sql.ts)
 *   change in the same statement as the rows they count, under that lock,
 *   so they stay exact without a scan;
 * - every change takes a position too (InboxChangesRepository), so the
 *   user's stream carries notifications and changes in one order.
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
    if (requests.length === 1 && requests[0].recipients.length === 1) return [[await this.appendOne(exec, requests[0])]];
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
        ids.push(newNotificationId());
        rowUsers.push(u);
        backs.push((perUser.get(u) as number) - rank);
        owners.push(r + 1);
      }
    });
    const field = <T>(f: (n: NewNotification) => T) => requests.map(({ notification }) => f(notification));
    // Fixed text whatever the batch (every value is an array parameter): prepared once per connection.
    const inserted = await exec.query<{ id: string; seq: string; created_at: Date }>(
      prepared(APPEND_BATCH),
      [
        users, users.map((u) => perUser.get(u)), ids, rowUsers, backs, owners,
        ...CONTENT_PARAMS.map(field), requests.map((r) => r.publisher ?? null),
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

  /** One request to one recipient: the batch statement's rules with scalar parameters (append.sql.ts). */
  private async appendOne(exec: SqlExecutor, { notification, recipients: [userId], publisher }: AppendRequest): Promise<AppendedRow> {
    const id = newNotificationId();
    const [row] = await exec.query<{ seq: string; created_at: Date }>(
      prepared(APPEND_ONE),
      [userId, id, ...CONTENT_PARAMS.map((f) => f(notification)), publisher ?? null],
    );
    return { id, userId, seq: Number(row.seq), createdAt: new Date(row.created_at).toISOString() };
  }

  /**
   * Deletes up to `batchSize` change entries older than the retention
   * window and up to `batchSize` expired notifications, and too-old ones the
   * DEFAULT partition holds (the rest go with their whole partition,
   * PartitionsRepository), inside the caller's transaction, and takes them
   * off the owners' counters; then up to `batchSize` too-old receipts in the
   * receipts' DEFAULT partition. The
   * owners' user_states rows are locked first, in lock order, so no state
   * can change under us and the decrements are exact.
   */
  async purgeOutOfRetention(tx: SqlExecutor, retentionDays: number, batchSize: number): Promise<PurgeOutcome> {
    // Change entries go with the notifications they are about: same window, same batches.
    const [{ changes }] = await tx.query<{ changes: number }>(
      `WITH gone AS (
         DELETE FROM inbox_changes WHERE (user_id, seq) IN (
           SELECT user_id, seq FROM inbox_changes WHERE at < now() - make_interval(days => $1::int) LIMIT $2)
         RETURNING 1)
       SELECT count(*)::int AS changes FROM gone`,
      [retentionDays, batchSize],
    );
    const candidates = await tx.query<{ id: string; user_id: string }>(PURGE_CANDIDATES, [retentionDays, batchSize]);
    let deleted = 0;
    if (candidates.length > 0) {
      await this.lockUsers(tx, candidates.map((c) => c.user_id));
      // Re-checked after the locks: a row the user deleted meanwhile is simply not returned.
      [{ deleted }] = await tx.query<{ deleted: number }>(
        `WITH gone AS (
           DELETE FROM notifications n WHERE n.id = ANY($2::uuid[]) AND ${OUT_OF_RETENTION.replace(/\b(expires_at|created_at)\b/g, 'n.$1')}
           RETURNING n.user_id, ${counterFlags('n')}
         ), d AS (
           SELECT user_id, ${COUNTERS.map(([st]) => `-sum(${st})::int AS ${st}`).join(', ')} FROM gone GROUP BY user_id
         ), upd AS (
           UPDATE user_states s SET ${addCounters('s', 'd')} FROM d WHERE s.user_id = d.user_id
         )
         SELECT count(*)::int AS deleted FROM gone`,
        [retentionDays, candidates.map((c) => c.id)],
      );
    }
    // A receipt in a range partition goes with its partition; those in the receipts' DEFAULT (beside rows
    // deleted one by one) go here once past the window. After the notifications: the order in which
    // partition maintenance locks the two tables.
    const [{ receipts }] = await tx.query<{ receipts: number }>(
      `WITH gone AS (
         DELETE FROM ${RECEIPTS_DEFAULT_PARTITION} WHERE (notification_id, created_at) IN (
           SELECT notification_id, created_at FROM ${RECEIPTS_DEFAULT_PARTITION} WHERE created_at < now() - make_interval(days => $1::int) LIMIT $2)
         RETURNING 1)
       SELECT count(*)::int AS receipts FROM gone`,
      [retentionDays, batchSize],
    );
    // Another batch is worth running while any of the three filled this one.
    return { scanned: Math.max(candidates.length, changes, receipts), deleted };
  }

  /**
   * Takes rows that left the table some other way (a retired partition) off
   * their users' counters, inside the caller's transaction: `gone` is, per
   * user, how many of those rows counted in each state. Those rows can no
   * longer change, so counting them first and locking after is exact.
   */
  async subtractCounters(tx: SqlExecutor, gone: Map<string, StateCounts>): Promise<void> {
    if (gone.size === 0) return;
    const users = inLockOrder(gone.keys());
    await this.lockUsers(tx, users);
    await tx.query(
      `UPDATE user_states s SET ${addCounters('s', 'd')}
         FROM unnest($1::varchar[], ${COUNTERS.map((_, k) => `$${k + 2}::int[]`).join(', ')}) AS d(user_id, ${COUNTERS.map(([st]) => st).join(', ')})
        WHERE s.user_id = d.user_id`,
      [users, ...COUNTERS.map(([st]) => users.map((u) => -((gone.get(u) as StateCounts)[st] ?? 0)))],
    );
  }

  /** Locked by ordinality of a JS-sorted array, so the database collation cannot reorder them. */
  private async lockUsers(tx: SqlExecutor, userIds: string[]): Promise<void> {
    await tx.query(
      `SELECT s.user_id FROM unnest($1::varchar[]) WITH ORDINALITY AS t(u, o)
         JOIN user_states s ON s.user_id = t.u ORDER BY t.o FOR UPDATE OF s`,
      [inLockOrder(new Set(userIds))],
    );
  }
}
