import { jest } from '@jest/globals';
import { validate, version } from 'uuid';
import { newNotificationId } from './notification-ids.js';

/** The id's 32-bit counter: the 12 bits after the version nibble, then 20 bits after the variant's 2. */
const counterOf = (id: string): number => {
  const hex = id.replaceAll('-', '');
  const bits = BigInt(`0x${hex.slice(13, 32)}`); // 76 bits: 12 of rand_a, 2 variant, 62 of rand_b
  return Number(((bits >> 64n) << 20n) | ((bits >> 42n) & 0xfffffn));
};
const msOf = (id: string): number => parseInt(id.replaceAll('-', '').slice(0, 12), 16);

describe('newNotificationId', () => {
  afterEach(() => jest.restoreAllMocks());

  it('is a UUIDv7 that leads with the time in milliseconds', () => {
    const before = Date.now();
    const id = newNotificationId();
    const after = Date.now();

    expect(validate(id)).toBe(true);
    expect(version(id)).toBe(7);
    expect(msOf(id)).toBeGreaterThanOrEqual(before);
    expect(msOf(id)).toBeLessThanOrEqual(after);
  });

  it('only grows, within one millisecond too, and never repeats', () => {
    const ids = Array.from({ length: 10_000 }, () => newNotificationId());

    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('steps its counter by a random amount within one millisecond, so the gap does not count the ids between', () => {
    jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2031, 0, 1));
    const ids = Array.from({ length: 200 }, () => newNotificationId());
    const steps = ids.slice(1).map((id, i) => counterOf(id) - counterOf(ids[i]));

    expect(new Set(ids.map(msOf))).toEqual(new Set([Date.UTC(2031, 0, 1)]));
    expect(Math.min(...steps)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...steps)).toBeLessThanOrEqual(65_536);
    expect(new Set(steps).size).toBeGreaterThan(150);
  });

  it('keeps growing when the clock steps back', () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2032, 0, 1, 0, 0, 1));
    const before = newNotificationId();
    now.mockReturnValue(Date.UTC(2032, 0, 1));
    const after = [newNotificationId(), newNotificationId()];

    expect([before, ...after].sort()).toEqual([before, ...after]);
    expect(after.map(msOf)).toEqual([msOf(before), msOf(before)]);
  });

  it('moves on a millisecond when the counter runs out', () => {
    const t = Date.UTC(2033, 0, 1);
    jest.spyOn(Date, 'now').mockReturnValue(t);
    // The counter starts below 2^31 and steps at most 65,536: 2^31 / 65,536 = 32,768 ids run it out at the earliest.
    const ids = Array.from({ length: 200_000 }, () => newNotificationId());

    expect([...ids].sort()).toEqual(ids);
    expect(msOf(ids[0])).toBe(t);
    expect(msOf(ids.at(-1) as string)).toBeGreaterThan(t);
  });
});
