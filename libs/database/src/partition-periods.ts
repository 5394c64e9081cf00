/** The time span of one `notifications` partition (HERALD_PARTITION_PERIOD). */
export type PartitionPeriod = 'day' | 'week' | 'month';

/** A half-open time range [from, to): the bounds of one range partition. */
export interface TimeRange {
  from: Date;
  to: Date;
}

/** The parent table, its catch-all partition, and the prefix of partitions detached for dropping. */
export const NOTIFICATIONS_TABLE = 'notifications';
export const DEFAULT_PARTITION = 'notifications_default';
export const RETIRED_PREFIX = 'notifications_retired_';

/**
 * The delivery receipts (deliveredAt), partitioned like `notifications`:
 * each of its partitions has the bounds and the name suffix of one of
 * notifications', is created with it and goes when it is retired.
 */
export const RECEIPTS_TABLE = 'notification_receipts';
export const RECEIPTS_DEFAULT_PARTITION = 'notification_receipts_default';

/**
 * A receipt's created_at for the notification created at SQL expression
 * `createdAt`: truncated to the millisecond, as the frames the gateways
 * write it from carry it (JavaScript dates have no microseconds).
 */
export const receiptCreatedAt = (createdAt: string): string => `date_trunc('milliseconds', ${createdAt})`;

/** What follows `table`'s name in the name of one of its partitions (`20261101_20261201`, `default`). */
export function partitionSuffix(partition: string, table = NOTIFICATIONS_TABLE): string {
  return partition.slice(table.length + 1);
}

/** The receipts partition beside notifications partition `partition` (`notifications_20261101_20261201` → `notification_receipts_20261101_20261201`). */
export function receiptsPartitionOf(partition: string): string {
  return `${RECEIPTS_TABLE}_${partitionSuffix(partition)}`;
}

const DAY_MS = 86_400_000;

/** Start of the period holding `at`, in UTC (weeks start on Monday, as ISO weeks do). */
export function periodStart(at: Date, period: PartitionPeriod): Date {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  if (period === 'day') return new Date(day);
  if (period === 'week') return new Date(day - ((at.getUTCDay() + 6) % 7) * DAY_MS);
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** Start of the period after the one starting at `start`. */
export function nextPeriod(start: Date, period: PartitionPeriod): Date {
  if (period === 'day') return new Date(start.getTime() + DAY_MS);
  if (period === 'week') return new Date(start.getTime() + 7 * DAY_MS);
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

/** The current period and `ahead` more after it, as one range. */
export function wantedRange(now: Date, period: PartitionPeriod, ahead: number): TimeRange {
  const from = periodStart(now, period);
  let to = nextPeriod(from, period);
  for (let i = 0; i < ahead; i++) to = nextPeriod(to, period);
  return { from, to };
}

/** `range` cut into periods, each clipped to the range. */
export function periodsOf(range: TimeRange, period: PartitionPeriod): TimeRange[] {
  const out: TimeRange[] = [];
  for (let from = range.from; from < range.to; ) {
    const to = nextPeriod(periodStart(from, period), period);
    out.push({ from, to: to < range.to ? to : range.to });
    from = to;
  }
  return out;
}

/**
 * The parts of `wanted` no existing partition covers. Partitions made under
 * another period (the migration's months, a period changed later) stay as
 * they are; only the gaps between them get new ones, so ranges never overlap.
 */
export function uncovered(wanted: TimeRange, existing: TimeRange[]): TimeRange[] {
  const gaps: TimeRange[] = [];
  let cursor = wanted.from;
  for (const r of [...existing].sort((a, b) => a.from.getTime() - b.from.getTime())) {
    if (r.to <= cursor || r.from >= wanted.to) continue;
    if (r.from > cursor) gaps.push({ from: cursor, to: r.from });
    if (r.to > cursor) cursor = r.to;
  }
  if (cursor < wanted.to) gaps.push({ from: cursor, to: wanted.to });
  return gaps;
}

/** `notifications_20261101_20261201`; a range not on day boundaries gets the time too. */
export function partitionName(range: TimeRange): string {
  return `${NOTIFICATIONS_TABLE}_${stamp(range.from)}_${stamp(range.to)}`;
}

function stamp(at: Date): string {
  const iso = at.toISOString();
  const day = iso.slice(0, 10).replaceAll('-', '');
  return at.getTime() % DAY_MS === 0 ? day : `${day}t${iso.slice(11, 19).replaceAll(':', '')}`;
}
