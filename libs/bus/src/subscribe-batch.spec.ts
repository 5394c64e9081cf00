import { SubscribeBatch } from './subscribe-batch.js';

const turn = () => new Promise((r) => setImmediate(r));

describe('SubscribeBatch', () => {
  it('sends the channels of one turn in one flush, in call order', async () => {
    const flushes: string[][] = [];
    const sut = new SubscribeBatch((channels) => {
      flushes.push(channels);
      return channels.map(() => Promise.resolve());
    });

    const calls = [sut.add(['a']), sut.add(['b', 'c']), sut.add([])];
    await Promise.all(calls);
    await sut.add(['d']);

    expect(flushes).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('fails only the callers whose own channels failed', async () => {
    const sut = new SubscribeBatch((channels) => channels.map((c) => (c === 'down' ? Promise.reject(new Error('MOVED')) : Promise.resolve())));

    const results = await Promise.allSettled([sut.add(['a']), sut.add(['b', 'down']), sut.add(['c'])]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('fails every caller of the turn when the flush itself throws', async () => {
    const sut = new SubscribeBatch(() => {
      throw new Error('Connection is closed.');
    });

    const results = await Promise.allSettled([sut.add(['a']), sut.add(['b'])]);

    expect(results).toEqual([
      { status: 'rejected', reason: new Error('Connection is closed.') },
      { status: 'rejected', reason: new Error('Connection is closed.') },
    ]);
  });

  it('does not flush before the turn ends', async () => {
    let flushed = 0;
    const sut = new SubscribeBatch((channels) => {
      flushed++;
      return channels.map(() => Promise.resolve());
    });

    const done = sut.add(['a']);
    expect(flushed).toBe(0);
    await turn();

    expect(flushed).toBe(1);
    await done;
  });
});
