import { partitionName, periodsOf, periodStart, uncovered, wantedRange } from './partition-periods.js';

const at = (iso: string) => new Date(iso);
const iso = (ranges: { from: Date; to: Date }[]) => ranges.map((r) => [r.from.toISOString().slice(0, 10), r.to.toISOString().slice(0, 10)]);

describe('partition periods', () => {
  it('starts days, Monday weeks and months on UTC boundaries', () => {
    const sunday = at('2026-11-29T23:30:00Z');

    expect(periodStart(sunday, 'day').toISOString()).toBe('2026-11-29T00:00:00.000Z');
    expect(periodStart(sunday, 'week').toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(periodStart(sunday, 'month').toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('wants the current period and `ahead` more, across a year end', () => {
    expect(iso(periodsOf(wantedRange(at('2026-12-15T10:00:00Z'), 'month', 2), 'month'))).toEqual([
      ['2026-12-01', '2027-01-01'], ['2027-01-01', '2027-02-01'], ['2027-02-01', '2027-03-01'],
    ]);
  });

  it('fills only the gaps between existing partitions, whatever period made them', () => {
    const months = [{ from: at('2026-11-01'), to: at('2026-12-01') }];
    const wanted = wantedRange(at('2026-11-29T12:00:00Z'), 'week', 1); // 2026-11-23 .. 2026-12-07

    const gaps = uncovered(wanted, months).flatMap((g) => periodsOf(g, 'week'));

    expect(iso(gaps)).toEqual([['2026-12-01', '2026-12-07']]);
    expect(uncovered(wanted, [{ from: at('2026-11-01'), to: at('2027-01-01') }])).toEqual([]);
  });

  it('names a partition by its bounds', () => {
    expect(partitionName({ from: at('2026-11-01'), to: at('2026-12-01') })).toBe('notifications_20261101_20261201');
    expect(partitionName({ from: at('2026-12-01'), to: at('2026-12-07T12:00:00Z') })).toBe('notifications_20261201_20261207t120000');
  });
});
