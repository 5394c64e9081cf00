import { validate, version } from 'uuid';
import { newNotificationId } from './notification-ids.js';

describe('newNotificationId', () => {
  it('is a UUIDv7 that leads with the time in milliseconds', () => {
    const before = Date.now();
    const id = newNotificationId();
    const after = Date.now();

    expect(validate(id)).toBe(true);
    expect(version(id)).toBe(7);
    const ms = parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
  });

  it('only grows, within one millisecond too, and never repeats', () => {
    const ids = Array.from({ length: 10_000 }, () => newNotificationId());

    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
