import { InboxChangeKind, ServerFrameType, type ChangeFrame } from '@herald/contracts';
import type { SqlExecutor } from '../database.js';
import { inLockOrder } from '../lock-order.js';
import { isoTimestamp, notificationColumnsOf, toNotification, type NotificationRow } from '../notification-row.js';
import { COUNTER_COLUMNS, countsOf, type CounterRow } from './inbox-state.sql.js';

/** One notification woken: its owner and its `woken` change entry (carrying the notification). */
export interface Woken {
  userId: string;
  frame: ChangeFrame;
}

/**
 * Ends snoozes whose time has come. Each woken notification comes back as
 * new: snoozedUntil, archivedAt, readAt and seenAt cleared, and its own
 * position on its user's stream (its activitySeq, so it is at the top),
 * logged as a `woken` change whose counts are exact at that position.
 */
export class SnoozeWakerRepository {
  /** Wakes up to `batchSize` due notifications inside the caller's transaction; `scanned` tells the caller whether more may be due. */
  async wakeDue(tx: SqlExecutor, batchSize: number): Promise<{ scanned: number; woken: Woken[] }> {
    const due = await tx.query<{ id: string; user_id: string }>(
      'SELECT id, user_id FROM notifications WHERE snoozed_until <= now() ORDER BY snoozed_until LIMIT $1',
      [batchSize],
    );
    if (due.length === 0) return { scanned: 0, woken: [] };
    await tx.query(
      `SELECT s.user_id FROM unnest($1::varchar[]) WITH ORDINALITY AS t(u, o)
         JOIN user_states s ON s.user_id = t.u ORDER BY t.o FOR UPDATE OF s`,
      [inLockOrder(new Set(due.map((d) => d.user_id)))],
    );
    // Every woken row moves the same way (snoozed → in the inbox, unread, unseen), so the
    // counts at the k-th of a user's n entries are the final counts less (n - k) such moves.
    const rows = await tx.query<NotificationRow & CounterRow & { behind: number }>(
      `WITH due AS (
         SELECT n.id, n.user_id, row_number() OVER w AS rk, count(*) OVER (PARTITION BY n.user_id) AS cnt
           FROM notifications n WHERE n.id = ANY($1::uuid[]) AND n.snoozed_until <= now()
         WINDOW w AS (PARTITION BY n.user_id ORDER BY n.snoozed_until, n.id)
       ), per AS (
         SELECT user_id, count(*)::int AS n FROM due GROUP BY user_id
       ), st AS (
         UPDATE user_states s SET last_seq = s.last_seq + per.n, snoozed_count = GREATEST(s.snoozed_count - per.n, 0),
                inbox_count = s.inbox_count + per.n, unread_count = s.unread_count + per.n, unseen_count = s.unseen_count + per.n
           FROM per WHERE s.user_id = per.user_id
         RETURNING s.user_id, s.last_seq, ${COUNTER_COLUMNS.split(', ').map((c) => `s.${c}`).join(', ')}
       ), upd AS (
         UPDATE notifications n SET snoozed_until = NULL, archived_at = NULL, read_at = NULL, seen_at = NULL,
                activity_seq = st.last_seq - (due.cnt - due.rk)
           FROM due JOIN st ON st.user_id = due.user_id
          WHERE n.id = due.id
         RETURNING n.*, (due.cnt - due.rk)::int AS behind
       ), log AS (
         INSERT INTO inbox_changes (user_id, seq, kind, ids, counts, at)
           SELECT upd.user_id, upd.activity_seq, '${InboxChangeKind.Woken}', ARRAY[upd.id],
                  jsonb_build_object('inbox', st.inbox_count - upd.behind, 'unread', st.unread_count - upd.behind,
                                     'unseen', st.unseen_count - upd.behind, 'archived', st.archived_count,
                                     'snoozed', st.snoozed_count + upd.behind), now()
             FROM upd JOIN st ON st.user_id = upd.user_id
       )
       SELECT ${notificationColumnsOf('upd')}, upd.behind, now() AS woken_at, ${COUNTER_COLUMNS.split(', ').map((c) => `st.${c}`).join(', ')}
         FROM upd JOIN st ON st.user_id = upd.user_id ORDER BY upd.user_id, upd.activity_seq`,
      [due.map((d) => d.id)],
    );
    const woken = rows.map((row): Woken => {
      const final = countsOf(row);
      const b = row.behind;
      const notification = { ...toNotification(row), stateSeq: Number(row.activity_seq) };
      return {
        userId: row.user_id,
        frame: {
          type: ServerFrameType.Change,
          seq: notification.activitySeq as number,
          change: InboxChangeKind.Woken,
          at: isoTimestamp((row as unknown as { woken_at: Date }).woken_at) as string,
          ids: [notification.id],
          counts: { ...final, inbox: final.inbox - b, unread: final.unread - b, unseen: final.unseen - b, snoozed: final.snoozed + b },
          notification,
        },
      };
    });
    return { scanned: due.length, woken };
  }
}
