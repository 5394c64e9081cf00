import {
  InboxChangeKind, ServerFrameType, type BulkAction, type ChangeFrame, type InboxCounts, type InboxFilter,
} from '@herald/contracts';
import type { SqlExecutor } from '../database.js';
import { isoTimestamp } from '../notification-row.js';
import { filterSql } from './inbox-filter.sql.js';
import { addCounters, COUNTER_COLUMNS, counterFlags, COUNTERS, countsJson, countsOf, type CounterRow } from './inbox-state.sql.js';
import { outboxStateEvents } from './outbox.sql.js';

/** A state change the user asked for (grouping and waking are InboxGrouping's and SnoozeWaker's). */
export type StateChange =
  | { kind: typeof InboxChangeKind.Seen | typeof InboxChangeKind.Read | typeof InboxChangeKind.Unread
      | typeof InboxChangeKind.Archived | typeof InboxChangeKind.Unarchived | typeof InboxChangeKind.Unsnoozed
      | typeof InboxChangeKind.Deleted; ids: string[] }
  | { kind: typeof InboxChangeKind.Snoozed; ids: string[]; snoozedUntil: string }
  | { kind: typeof InboxChangeKind.Interacted; ids: string[]; interaction: string }
  | { kind: typeof InboxChangeKind.Bulk; action: BulkAction; ids: string[] }
  | { kind: typeof InboxChangeKind.Bulk; action: BulkAction; filter: InboxFilter };

/** What a change did: nothing (`frame` absent), or the entry it took on the user's stream. */
export interface AppliedChange {
  /** Notifications it changed. */
  changed: number;
  ids: string[];
  /** The `inbox.change` entry, present when something changed. */
  frame?: ChangeFrame;
  /** How much the unread count moved (old clients get an `unread` frame when it did). */
  unreadDelta: number;
  counts?: InboxCounts;
}

/** What each change does to a row, and when it does anything at all (a no-op takes no position). */
const EFFECTS: Record<string, { when: string; set: string }> = {
  seen: { when: 'n.seen_at IS NULL', set: 'seen_at = now()' },
  read: { when: 'n.read_at IS NULL', set: 'read_at = now(), seen_at = coalesce(n.seen_at, now())' },
  unread: { when: 'n.read_at IS NOT NULL', set: 'read_at = NULL' },
  archived: { when: 'n.archived_at IS NULL', set: 'archived_at = now()' },
  unarchived: { when: 'n.archived_at IS NOT NULL', set: 'archived_at = NULL' },
  snoozed: { when: 'n.snoozed_until IS DISTINCT FROM $4::timestamptz', set: 'snoozed_until = $4::timestamptz' },
  unsnoozed: { when: 'n.snoozed_until IS NOT NULL', set: 'snoozed_until = NULL' },
  interacted: {
    when: `(($5::text = 'link' AND n.link IS NOT NULL) OR coalesce(n.actions, '[]'::jsonb) @> jsonb_build_array(jsonb_build_object('id', $5::text)))`,
    set: 'interacted_at = now(), interaction = $5::text, read_at = coalesce(n.read_at, now()), seen_at = coalesce(n.seen_at, now())',
  },
  deleted: { when: 'true', set: '' },
};

/**
 * Every change a user makes to their inbox, as ONE statement run after the
 * user's row lock (taken by `lockUser` in the same transaction, so the
 * statement's snapshot already holds every earlier change of this user):
 * the rows change, the counters move by the difference of each row's
 * counted states before and after, the change takes the next position
 * (last_seq + 1) and is logged in inbox_changes with the counts exact at
 * that position, and the outbox gets a `notification.<kind>` row per
 * changed notification while a webhook listens. A change that changes no
 * row takes no position and logs nothing.
 */
export class InboxChangesRepository {
  /** Locks the user's row; false when the user has no inbox at all. */
  async lockUser(tx: SqlExecutor, userId: string): Promise<boolean> {
    const rows = await tx.query('SELECT 1 FROM user_states WHERE user_id = $1 FOR UPDATE', [userId]);
    return rows.length > 0;
  }

  /** Applies `change` inside the caller's transaction, after lockUser. */
  async apply(tx: SqlExecutor, userId: string, change: StateChange): Promise<AppliedChange> {
    const effectName = change.kind === InboxChangeKind.Bulk ? change.action : change.kind;
    const effect = EFFECTS[effectName];
    const byFilter = 'filter' in change;
    const detail = detailOf(change);
    const params: unknown[] = [
      userId, change.kind, byFilter ? null : change.ids,
      change.kind === InboxChangeKind.Snoozed ? change.snoozedUntil : null,
      change.kind === InboxChangeKind.Interacted ? change.interaction : null,
      detail === null ? null : JSON.stringify(detail), effectName,
    ];
    const selection = byFilter ? filterSql(change.filter, params) : 'n.id = ANY($3::uuid[])';
    const flagsBefore = COUNTERS.map(([s]) => `t.${s} AS o_${s}`).join(', ');
    const mutation = change.kind === InboxChangeKind.Deleted
      ? `DELETE FROM notifications n USING target t WHERE n.id = t.id AND n.user_id = $1
          RETURNING n.id, n.type, n.category, ${COUNTERS.map(([s]) => `0 AS n_${s}`).join(', ')}, ${flagsBefore}`
      : `UPDATE notifications n SET ${effect.set} FROM target t WHERE n.id = t.id AND n.user_id = $1
          RETURNING n.id, n.type, n.category, ${counterFlags('n', 'n_')}, ${flagsBefore}`;
    const [row] = await tx.query<ChangeRow>(
      `WITH params AS (
         -- Types every parameter, whether or not this change's clauses use it.
         SELECT $3::uuid[] AS ids, $4::timestamptz AS until, $5::text AS interaction, $6::jsonb AS detail, $7::text AS effect
       ), target AS (
         SELECT n.id, ${counterFlags('n')} FROM notifications n WHERE n.user_id = $1 AND ${selection} AND ${effect.when}
       ), upd AS (${mutation}
       ), d AS (
         SELECT count(*)::int AS changed, coalesce(array_agg(id), '{}') AS ids,
                ${COUNTERS.map(([s]) => `coalesce(sum(n_${s} - o_${s}), 0)::int AS ${s}`).join(', ')} FROM upd
       ), st AS (
         UPDATE user_states s SET last_seq = s.last_seq + 1, ${addCounters('s', 'd')}
           FROM d WHERE s.user_id = $1 AND d.changed > 0
         RETURNING s.last_seq, ${COUNTER_COLUMNS.split(', ').map((c) => `s.${c}`).join(', ')}
       ), log AS (
         INSERT INTO inbox_changes (user_id, seq, kind, ids, detail, counts, at)
           SELECT $1, st.last_seq, $2, ${byFilter ? `'{}'` : 'd.ids'}, $6::jsonb, ${countsJson('st')}, now() FROM st, d
       ), ${outboxStateEvents('upd', '$1', '$7')}
       SELECT d.changed, d.ids, d.unread AS unread_delta, now() AS at, st.* FROM d LEFT JOIN st ON true`,
      params,
    );
    const ids = (row.ids ?? []).map(String);
    if (!row.changed) return { changed: 0, ids, unreadDelta: 0 };
    const counts = countsOf(row as CounterRow);
    const frame: ChangeFrame = {
      type: ServerFrameType.Change,
      seq: Number(row.last_seq),
      change: change.kind,
      at: isoTimestamp(row.at) as string,
      ids: byFilter ? [] : ids,
      counts,
      ...(detail ?? {}),
    };
    return { changed: row.changed, ids, frame, unreadDelta: row.unread_delta, counts };
  }
}

interface ChangeRow extends Partial<CounterRow> {
  changed: number;
  ids: string[] | null;
  unread_delta: number;
  at: Date;
  last_seq: string | null;
}

/** The fields of the entry beyond ids: stored in inbox_changes.detail, spread into the frame. */
export function detailOf(change: StateChange): Partial<ChangeFrame> | null {
  if (change.kind === InboxChangeKind.Snoozed) return { snoozedUntil: new Date(change.snoozedUntil).toISOString() };
  if (change.kind === InboxChangeKind.Interacted) return { interaction: change.interaction };
  if (change.kind === InboxChangeKind.Bulk) return 'filter' in change ? { action: change.action, filter: change.filter } : { action: change.action };
  return null;
}
