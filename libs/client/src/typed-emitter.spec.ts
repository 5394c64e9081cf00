import { jest } from '@jest/globals';
import { TypedEmitter } from './typed-emitter.js';

type Events = { count: number; name: string };

class TestEmitter extends TypedEmitter<Events> {
  fire<K extends keyof Events>(event: K, value: Events[K]): void {
    this.emit(event, value);
  }
  count<K extends keyof Events>(event: K): number {
    return this.listenerCount(event);
  }
}

describe('TypedEmitter', () => {
  it('delivers a value to every listener of that event only', () => {
    const sut = new TestEmitter();
    const counts: number[] = [];
    const names: string[] = [];
    sut.on('count', (n) => counts.push(n));
    sut.on('name', (s) => names.push(s));

    sut.fire('count', 3);

    expect(counts).toEqual([3]);
    expect(names).toEqual([]);
  });

  it('returns an unsubscribe function from on()', () => {
    const sut = new TestEmitter();
    const listener = jest.fn();
    const off = sut.on('count', listener);

    off();
    sut.fire('count', 1);

    expect(listener).not.toHaveBeenCalled();
    expect(sut.count('count')).toBe(0);
  });

  it('keeps calling the other listeners when one throws', () => {
    jest.useFakeTimers();
    const sut = new TestEmitter();
    const after = jest.fn();
    sut.on('count', () => {
      throw new Error('listener bug');
    });
    sut.on('count', after);

    sut.fire('count', 1);

    expect(after).toHaveBeenCalledWith(1);
    // The error is rethrown on its own task, where the host reports it.
    expect(() => jest.runOnlyPendingTimers()).toThrow('listener bug');
    jest.useRealTimers();
  });
});
