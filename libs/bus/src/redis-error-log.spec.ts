import { jest } from '@jest/globals';
import { maskCredentials, RedisErrorLog } from './redis-error-log.js';

function setup() {
  const lines: string[] = [];
  const sut = new RedisErrorLog('herald-api at redis://herald:s3cret@10.0.0.1:6379', { intervalMs: 10_000, logger: { warn: (m: unknown) => void lines.push(String(m)) } });
  return { sut, lines };
}

describe('RedisErrorLog', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('logs the first error at once, naming the connection without its password', () => {
    const { sut, lines } = setup();

    sut.record(new Error('connect ECONNREFUSED 10.0.0.1:6379'));

    expect(lines).toEqual(['herald-api at redis://herald:***@10.0.0.1:6379: connect ECONNREFUSED 10.0.0.1:6379']);
  });

  it('counts the errors of the next interval into one line quoting the latest, then one per interval while they go on', () => {
    const { sut, lines } = setup();
    sut.record(new Error('first'));
    for (let i = 0; i < 40; i++) sut.record(new Error(`attempt ${i}`));
    expect(lines).toHaveLength(1);

    jest.advanceTimersByTime(10_000);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('herald-api at redis://herald:***@10.0.0.1:6379: 40 more errors since the last line, the latest: attempt 39');

    sut.record(new Error('still down'));
    jest.advanceTimersByTime(9_999);
    expect(lines).toHaveLength(2);
    jest.advanceTimersByTime(1);

    expect(lines[2]).toMatch(/: 1 more error since the last line, the latest: still down$/);
  });

  it('logs at once again once an interval has passed without errors', () => {
    const { sut, lines } = setup();
    sut.record(new Error('first'));
    jest.advanceTimersByTime(10_000);

    sut.record(new Error('again'));

    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/: again$/);
  });

  it('logs what it still counts when the connection ends, and keeps no timer', () => {
    const { sut, lines } = setup();
    sut.record(new Error('first'));
    sut.record(new Error('second'));

    sut.flush();

    expect(lines[1]).toMatch(/: 1 more error since the last line, the latest: second$/);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('masks credentials inside an error text too', () => {
    const { sut, lines } = setup();

    sut.record(new Error('cannot reach rediss://:hunter2@10.0.0.2:6380'));

    expect(lines[0]).not.toContain('hunter2');
    expect(lines[0]).not.toContain('s3cret');
  });
});

describe('maskCredentials', () => {
  it('hides the password of every URL and keeps the user name', () => {
    expect(maskCredentials('redis://herald:p%40ss@10.0.0.1:7000,redis://:other@10.0.0.2:7000')).toBe('redis://herald:***@10.0.0.1:7000,redis://:***@10.0.0.2:7000');
  });

  it('hides a user part without a colon whole, and an unencoded @ in a password', () => {
    expect(maskCredentials('redis://secret@10.0.0.1')).toBe('redis://***@10.0.0.1');
    expect(maskCredentials('redis://u:p@ss@10.0.0.1/0')).toBe('redis://u:***@10.0.0.1/0');
  });

  it('leaves text without credentials as it is', () => {
    expect(maskCredentials('connect ECONNREFUSED 127.0.0.1:6379 (redis://127.0.0.1:6379)')).toBe('connect ECONNREFUSED 127.0.0.1:6379 (redis://127.0.0.1:6379)');
  });
});
