import { jest } from '@jest/globals';
import { RedisDeadlineError, withDeadline } from './redis-deadline.js';

describe('withDeadline', () => {
  it('answers with the work when it settles in time', async () => {
    await expect(withDeadline(Promise.resolve(7), 1000, 'publish')).resolves.toBe(7);
  });

  it('passes the work\'s own failure through', async () => {
    await expect(withDeadline(Promise.reject(new Error('closed')), 1000, 'publish')).rejects.toThrow('closed');
  });

  it('gives up after the deadline with an unavailable error, while the work goes on', async () => {
    let finish: (v: string) => void = () => undefined;
    const work = new Promise<string>((resolve) => (finish = resolve));

    const sut = withDeadline(work, 20, 'publish');

    await expect(sut).rejects.toBeInstanceOf(RedisDeadlineError);
    await expect(sut).rejects.toMatchObject({ code: 'unavailable' });
    finish('late');
    await expect(work).resolves.toBe('late');
  });

  it('swallows a failure that comes after the deadline', async () => {
    let fail: (e: Error) => void = () => undefined;
    const work = new Promise<string>((_, reject) => (fail = reject));
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);

    await expect(withDeadline(work, 10, 'publish')).rejects.toBeInstanceOf(RedisDeadlineError);
    fail(new Error('late failure'));
    await new Promise((r) => setImmediate(r));

    process.off('unhandledRejection', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
  });
});
