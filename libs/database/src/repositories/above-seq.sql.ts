import { LIVE_N } from './live.sql.js';

/** The SQL expressions (parameters or outer columns) a read above a position is made of. */
export interface AboveSeq {
  user: string;
  after: string;
  limit: string;
  /** A bigint expression that may be NULL (no upper bound). */
  below?: string;
}

/**
 * The user's live notifications with seq in (after, below), as two ordered
 * branches of a UNION ALL over `notifications n`, each selecting `columns`
 * then `pos` (the row's seq) and ordered by pos, each at most `limit` rows:
 * the caller orders the union by pos and limits it again, and the planner
 * merges the two. Resume, gap fill and the polling fallback read this way.
 *
 * There is no index on (user_id, seq): every insert would pay for one more
 * per-user B-tree, the cost that grows with the current partition
 * (docs/scaling.md). A row's activity_seq starts equal to its seq and only
 * ever moves up (grouping into it, waking its snooze; a CHECK holds it
 * there), so the rows never moved come in seq order from (user_id,
 * activity_seq), the index lists use, and the few that moved from
 * ix_notifications_user_moved, a partial index on (user_id, seq) of the
 * rows where the two differ. The first branch skips moved rows whose new
 * position lies above `after`; there are at most as many as the positions
 * the user's stream advanced by since.
 *
 * Under that CHECK, `activity_seq <= seq` is `activity_seq = seq`, and it
 * is written so for the planner: it guesses a third of the rows for an
 * inequality between two columns and 0.5 % for an equality. With 0.5 %,
 * custom plans (a connection's first runs of the prepared statement, and
 * PGlite's every run) fetched and sorted all of a user's rows above the
 * cursor instead of reading the index in order: 58 ms for 50,000 rows
 * against 0.7 ms.
 */
export function notificationsAboveSql(columns: string, { user, after, limit, below }: AboveSeq): string {
  const under = (column: string) => (below ? ` AND (${below}::bigint IS NULL OR ${column} < ${below})` : '');
  return `(SELECT ${columns}, n.activity_seq AS pos FROM notifications n
      WHERE n.user_id = ${user} AND n.activity_seq > ${after} AND n.activity_seq <= n.seq${under('n.activity_seq')} AND ${LIVE_N}
      ORDER BY n.activity_seq LIMIT ${limit})
    UNION ALL
    (SELECT ${columns}, n.seq AS pos FROM notifications n
      WHERE n.user_id = ${user} AND n.seq > ${after} AND n.activity_seq <> n.seq${under('n.seq')} AND ${LIVE_N}
      ORDER BY n.seq LIMIT ${limit})`;
}
