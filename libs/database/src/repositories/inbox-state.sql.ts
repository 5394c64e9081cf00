import type { InboxCounts, InboxState } from '@herald/contracts';

/**
 * The states of INBOX_STATES (libs/contracts) as SQL over a notifications
 * alias: the one translation the lists, counts, counters and changes share.
 */
export function stateSql(state: InboxState, a = 'n'): string {
  const awake = `${a}.snoozed_until IS NULL`;
  const inbox = `${awake} AND ${a}.archived_at IS NULL`;
  switch (state) {
    case 'snoozed': return `${a}.snoozed_until IS NOT NULL`;
    case 'archived': return `${awake} AND ${a}.archived_at IS NOT NULL`;
    case 'unread': return `${inbox} AND ${a}.read_at IS NULL`;
    case 'read': return `${inbox} AND ${a}.read_at IS NOT NULL`;
    case 'unseen': return `${inbox} AND ${a}.seen_at IS NULL`;
    default: return inbox;
  }
}

/** The counted states, each with its user_states counter column. */
export const COUNTERS = [
  ['inbox', 'inbox_count'],
  ['unread', 'unread_count'],
  ['unseen', 'unseen_count'],
  ['archived', 'archived_count'],
  ['snoozed', 'snoozed_count'],
] as const satisfies readonly (readonly [keyof InboxCounts & InboxState, string])[];

/** `(state)::int AS <prefix><state>` for every counted state: 1 where the row counts there. */
export function counterFlags(a: string, prefix = ''): string {
  return COUNTERS.map(([state]) => `(${stateSql(state, a)})::int AS ${prefix}${state}`).join(', ');
}

/** The counters of user_states as RETURNING / SELECT columns. */
export const COUNTER_COLUMNS = COUNTERS.map(([, column]) => column).join(', ');

/** `counter = GREATEST(counter + <src>.<state>, 0)` for every counter: adds a row of per-state deltas. */
export function addCounters(target: string, src: string): string {
  return COUNTERS.map(([state, column]) => `${column} = GREATEST(${target}.${column} + ${src}.${state}, 0)`).join(', ');
}

/** `jsonb_build_object('inbox', <a>.inbox_count, …)`: the counts a change entry stores. */
export function countsJson(a: string): string {
  return `jsonb_build_object(${COUNTERS.map(([state, column]) => `'${state}', ${a}.${column}`).join(', ')})`;
}

export type CounterRow = Record<(typeof COUNTERS)[number][1], number>;

export function countsOf(row: CounterRow): InboxCounts {
  return {
    inbox: Number(row.inbox_count),
    unread: Number(row.unread_count),
    unseen: Number(row.unseen_count),
    archived: Number(row.archived_count),
    snoozed: Number(row.snoozed_count),
  };
}
