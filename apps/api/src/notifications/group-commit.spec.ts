import { jest } from '@jest/globals';
import { GroupCommit } from './group-commit.js';

describe('GroupCommit', () => {
  const options = { maxItems: 100, maxWeight: 10, maxInFlight: 1 };

  it('runs the first item alone at once, and batches what arrives meanwhile', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const sut = new GroupCommit<number, number>(
      async (items) => {
        batches.push(items);
        if (batches.length === 1) await gate;
        return items.map((i) => i * 2);
      },
      () => 1,
      options,
    );

    const results = [sut.submit(1), sut.submit(2), sut.submit(3), sut.submit(4)];
    release();

    await expect(Promise.all(results)).resolves.toEqual([2, 4, 6, 8]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('caps a batch by weight but always takes at least one item', async () => {
    const batches: number[][] = [];
    const sut = new GroupCommit<number, number>(async (items) => (batches.push(items), items), (w) => w, { ...options, maxInFlight: 0 });
    const pending = [6, 3, 2, 20, 1].map((w) => sut.submit(w));

    (sut as unknown as { options: { maxInFlight: number } }).options.maxInFlight = 1;
    (sut as unknown as { pump(): void }).pump();
    await Promise.all(pending);

    expect(batches).toEqual([[6, 3], [2], [20], [1]]);
  });

  it('rejects only the items whose result is an Error, and all items when the batch throws', async () => {
    const sut = new GroupCommit<number, number>(
      async (items) => {
        if (items.includes(99)) throw new Error('batch failed');
        return items.map((i) => (i < 0 ? new Error(`bad ${i}`) : i));
      },
      () => 1,
      options,
    );

    await expect(sut.submit(-1)).rejects.toThrow('bad -1');
    await expect(sut.submit(5)).resolves.toBe(5);
    await expect(sut.submit(99)).rejects.toThrow('batch failed');
  });

  it('starts a second batch only while enough weight waits', async () => {
    const batches: number[][] = [];
    const gates: (() => void)[] = [];
    const sut = new GroupCommit<number, number>(
      async (items) => {
        batches.push(items);
        await new Promise<void>((r) => gates.push(r));
        return items;
      },
      (w) => w,
      { maxItems: 1, maxWeight: 1000, maxInFlight: 2, parallelMinWeight: 100 },
    );

    const light = [sut.submit(1), sut.submit(1)];
    expect(batches).toEqual([[1]]); // the second light item waits for the first batch
    const heavy = sut.submit(500);
    expect(batches).toEqual([[1], [1]]); // 501 waiting: a second batch runs beside the first
    gates.splice(0).forEach((open) => open());
    await Promise.all(light);
    await new Promise((r) => setImmediate(r)); // the heavy item's batch has started
    gates.splice(0).forEach((open) => open());
    await expect(heavy).resolves.toBe(500);
    expect(batches).toEqual([[1], [1], [500]]);
  });

  it('frees a batch\'s slot before afterRun, and resolves its items only after it', async () => {
    const events: string[] = [];
    let publish!: () => void;
    const published = new Promise<void>((r) => (publish = r));
    const sut = new GroupCommit<number, number>(
      async (items) => (events.push(`run ${items.join(',')}`), items),
      () => 1,
      {
        ...options,
        afterRun: async (items) => {
          events.push(`after ${items.join(',')}`);
          if (items.includes(1)) await published;
        },
      },
    );

    const first = sut.submit(1).then((r) => events.push(`resolved ${r}`));
    await new Promise((r) => setImmediate(r)); // the first batch ran and waits in afterRun
    const second = sut.submit(2).then((r) => events.push(`resolved ${r}`));
    await second;
    publish();
    await first;

    expect(events).toEqual(['run 1', 'after 1', 'run 2', 'after 2', 'resolved 2', 'resolved 1']);
  });

  it('starts afterRun before the next batch runs, which does not wait for afterRun to finish', async () => {
    const events: string[] = [];
    let finishFirst!: (results: number[]) => void;
    let publishFirst!: () => void;
    const firstPublished = new Promise<void>((r) => (publishFirst = r));
    const sut = new GroupCommit<number, number>(
      (items) => {
        events.push(`run ${items.join(',')}`);
        return items[0] === 1 ? new Promise((r) => (finishFirst = r)) : Promise.resolve(items);
      },
      () => 1,
      {
        ...options,
        afterRun: async (items) => {
          events.push(`after ${items.join(',')}`);
          if (items.includes(1)) await firstPublished;
        },
      },
    );

    const first = sut.submit(1);
    const second = sut.submit(2); // waits behind the running batch
    finishFirst([1]);
    await expect(second).resolves.toBe(2);
    expect(events).toEqual(['run 1', 'after 1', 'run 2', 'after 2']);
    publishFirst();
    await expect(first).resolves.toBe(1);
  });

  it('frees the slot and keeps the batch\'s results when afterRun throws before it returns a promise', async () => {
    const sut = new GroupCommit<number, number>(async (items) => items, () => 1, {
      ...options,
      afterRun: (([item]: number[]) => {
        if (item === 1) throw new Error('afterRun broke');
        return Promise.resolve();
      }) as (items: number[]) => Promise<void>,
    });

    await expect(sut.submit(1)).resolves.toBe(1);
    await expect(sut.submit(2)).resolves.toBe(2);
  });

  it('resolves items with what afterRun answers, and with the batch\'s own results when it answers nothing or throws', async () => {
    const sut = new GroupCommit<number, number>(async (items) => items, () => 1, {
      ...options,
      afterRun: async ([item], results) => {
        if (item === 1) return [new Error('publish failed')];
        if (item === 2) return undefined;
        if (item === 3) throw new Error('afterRun broke its promise');
        return results.map((r) => (r instanceof Error ? r : r * 10));
      },
    });

    await expect(sut.submit(1)).rejects.toThrow('publish failed');
    await expect(sut.submit(2)).resolves.toBe(2);
    await expect(sut.submit(3)).resolves.toBe(3);
    await expect(sut.submit(4)).resolves.toBe(40);
  });

  it('starts a second batch beside one that has run longer than parallelAfterMs', async () => {
    const batches: number[][] = [];
    const gates: (() => void)[] = [];
    const sut = new GroupCommit<number, number>(
      async (items) => {
        batches.push(items);
        await new Promise<void>((r) => gates.push(r));
        return items;
      },
      () => 1,
      { maxItems: 100, maxWeight: 1000, maxInFlight: 2, parallelMinWeight: 100, parallelAfterMs: 30 },
    );

    const early = [sut.submit(1), sut.submit(2)];
    expect(batches).toEqual([[1]]); // the first batch is young: 2 waits
    await new Promise((r) => setTimeout(r, 40));
    const late = sut.submit(3);
    expect(batches).toEqual([[1], [2, 3]]); // the first has stalled: what waits goes beside it
    gates.splice(0).forEach((open) => open());
    await expect(Promise.all([...early, late])).resolves.toEqual([1, 2, 3]);
  });
  describe('while batches stall', () => {
    const stalled = () => new GroupCommit<number, number>(() => new Promise<never>(() => undefined), (w) => w, {
      ...options,
      maxQueued: { items: 3, weight: 10 },
      maxQueueMs: 1000,
      refuse: (why) => new Error(`refused: ${why}`),
    });

    it('refuses at once what would take the waiting items or weight past maxQueued', async () => {
      const sut = stalled();
      void sut.submit(1); // runs, and hangs
      const waiting = [sut.submit(1), sut.submit(1), sut.submit(7)];
      waiting.forEach((p) => p.catch(() => undefined));

      await expect(sut.submit(1)).rejects.toThrow('refused: full'); // a fourth waiting item
      const light = stalled();
      void light.submit(1);
      void light.submit(9).catch(() => undefined);
      await expect(light.submit(2)).rejects.toThrow('refused: full'); // 11 waiting rows
    });

    it('takes an item heavier than the weight limit when nothing waits', async () => {
      const sut = stalled();
      void sut.submit(1);
      const heavy = sut.submit(50);
      heavy.catch(() => undefined);
      await expect(Promise.race([heavy.then(() => 'settled', () => 'settled'), new Promise((r) => setImmediate(() => r('waiting')))])).resolves.toBe('waiting');
    });

    it('fails the items that waited maxQueueMs for a batch, oldest first, and only those', async () => {
      jest.useFakeTimers();
      try {
        const sut = stalled();
        void sut.submit(1);
        const first = sut.submit(1);
        jest.advanceTimersByTime(600);
        const second = sut.submit(1);
        const outcome = (p: Promise<number>) => p.then(() => 'ran', (e: Error) => e.message);

        const firstOut = outcome(first);
        jest.advanceTimersByTime(400);
        await expect(firstOut).resolves.toBe('refused: expired');
        const secondOut = outcome(second);
        jest.advanceTimersByTime(599);
        await Promise.resolve();
        expect((sut as unknown as { queue: unknown[] }).queue).toHaveLength(1);
        jest.advanceTimersByTime(1);
        await expect(secondOut).resolves.toBe('refused: expired');
        expect((sut as unknown as { queuedWeight: number }).queuedWeight).toBe(0);
      } finally {
        jest.useRealTimers();
      }
    });
  });
});
