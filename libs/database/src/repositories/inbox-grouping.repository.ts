import { InboxChangeKind, MAX_GROUP_ACTORS, ServerFrameType, type ChangeFrame, type Notification } from '@herald/contracts';
import type { SqlExecutor } from '../database.js';
import { inLockOrder } from '../lock-order.js';
import { isoTimestamp, notificationColumnsOf, toNotification, type NotificationRow } from '../notification-row.js';
import type { AppendRequest } from './inbox.repository.js';
import { COUNTER_COLUMNS, countsJson, countsOf, type CounterRow } from './inbox-state.sql.js';

/** A POST that grouped into a recipient's open entry: the entry as it is now, and its `grouped` change entry. */
export interface GroupedRow {
  userId: string;
  notification: Notification;
  frame: ChangeFrame;
}

/**
 * Grouping by groupKey. A recipient's open entry for a key is the newest
 * notification with that key that is unread, not archived, not snoozed,
 * not expired and created within the window. Finding it and updating it
 * must not race another POST with the same key (another batch, another api
 * replica): callers hold the recipients' user_states row locks first
 * (`lockUsers`), so the statement that looks runs after every earlier
 * grouping of those users has committed. A unique index would do it
 * without the lock, but notifications may be partitioned by created_at,
 * and a unique index there must include created_at.
 */
export class InboxGroupingRepository {
  /**
   * Locks the users' user_states rows in lock order, creating them when
   * missing (a first notification's user has none yet, and a missing row
   * locks nothing): the upsert's DO UPDATE takes the lock either way.
   */
  async lockUsers(tx: SqlExecutor, userIds: Iterable<string>): Promise<void> {
    await tx.query(
      `INSERT INTO user_states AS s (user_id)
         SELECT u FROM unnest($1::varchar[]) WITH ORDINALITY AS t(u, o) ORDER BY o
       ON CONFLICT (user_id) DO UPDATE SET last_seq = s.last_seq`,
      [inLockOrder(new Set(userIds))],
    );
  }

  /**
   * Groups `request` into each recipient's open entry for its key, in one
   * statement: the entry takes the newest text, one more in its count, the
   * actor at the front of its actors, unseen again, and the next position
   * (its activitySeq, so it moves to the top); the change is logged with
   * the counts at that position. Answers the recipients that grouped;
   * the others need a new entry (InboxRepository.append).
   */
  async groupInto(tx: SqlExecutor, request: AppendRequest, windowSeconds: number): Promise<GroupedRow[]> {
    const n = request.notification;
    const rows = await tx.query<NotificationRow & CounterRow & { change_seq: string }>(
      `WITH open AS (
         SELECT DISTINCT ON (n.user_id) n.id, n.user_id, (n.seen_at IS NOT NULL)::int AS was_seen
           FROM notifications n
          WHERE n.user_id = ANY($1::varchar[]) AND n.group_key = $2
            AND n.read_at IS NULL AND n.archived_at IS NULL AND n.snoozed_until IS NULL
            AND n.created_at > now() - make_interval(secs => $3::int)
            AND (n.expires_at IS NULL OR n.expires_at > now())
          ORDER BY n.user_id, n.activity_seq DESC
       ), st AS (
         UPDATE user_states s SET last_seq = s.last_seq + 1, unseen_count = s.unseen_count + o.was_seen
           FROM open o WHERE s.user_id = o.user_id
         RETURNING s.user_id, s.last_seq, ${COUNTER_COLUMNS.split(', ').map((c) => `s.${c}`).join(', ')}
       ), upd AS (
         UPDATE notifications n SET
           activity_seq = st.last_seq, title = $4, body = $5, severity = $6, data = $7::jsonb, link = $8, expires_at = $9::timestamptz,
           tags = ARRAY(SELECT jsonb_array_elements_text($10::jsonb))::varchar[], actions = $11::jsonb, avatar = $12,
           actor = coalesce($13::varchar, n.actor), group_count = n.group_count + 1, grouped_at = now(), seen_at = NULL,
           group_actors = CASE WHEN $13::varchar IS NULL THEN n.group_actors ELSE ARRAY(
             SELECT a FROM unnest(array_prepend($13::varchar, n.group_actors)) WITH ORDINALITY AS x(a, o)
              GROUP BY a ORDER BY min(o) LIMIT ${MAX_GROUP_ACTORS})::varchar[] END
           FROM open o JOIN st ON st.user_id = o.user_id
          WHERE n.id = o.id
         RETURNING n.*
       ), log AS (
         INSERT INTO inbox_changes (user_id, seq, kind, ids, counts, at)
           SELECT st.user_id, st.last_seq, '${InboxChangeKind.Grouped}', ARRAY[o.id], ${countsJson('st')}, now()
             FROM st JOIN open o ON o.user_id = st.user_id
       )
       SELECT ${notificationColumnsOf('upd')}, st.last_seq AS change_seq, ${COUNTER_COLUMNS.split(', ').map((c) => `st.${c}`).join(', ')}
         FROM upd JOIN st ON st.user_id = upd.user_id`,
      [
        request.recipients, n.groupKey, windowSeconds, n.title, n.body ?? null, n.severity ?? 'info',
        n.data === undefined || n.data === null ? null : JSON.stringify(n.data), n.link ?? null, n.expiresAt ?? null,
        JSON.stringify(n.tags ?? []), n.actions?.length ? JSON.stringify(n.actions) : null, n.avatar ?? null, n.actor ?? null,
      ],
    );
    return rows.map((row) => {
      // Its states are exact at the grouping's position (the snapshot's last_seq is from before it).
      const notification = { ...toNotification(row), stateSeq: Number(row.change_seq) };
      const frame: ChangeFrame = {
        type: ServerFrameType.Change,
        seq: Number(row.change_seq),
        change: InboxChangeKind.Grouped,
        at: isoTimestamp(row.grouped_at) as string,
        ids: [notification.id],
        counts: countsOf(row),
        notification,
      };
      return { userId: row.user_id, notification, frame };
    });
  }
}
