import { settle } from '../../testing/fake-rest.js';
import { TaskQueue } from './task-queue.js';

describe('TaskQueue', () => {
  function setup() {
    const reported: unknown[] = [];
    const sut = new TaskQueue((error) => reported.push(error));
    sut.active = true;
    return { sut, reported };
  }

  it('runs tasks one at a time in the order queued, even when an earlier one waits', async () => {
    const { sut } = setup();
    const log: string[] = [];
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));

    void sut.enqueue(async () => {
      log.push('a starts');
      await gate;
      log.push('a ends');
    });
    void sut.enqueue(() => void log.push('b'));
    await settle();
    const beforeRelease = [...log];
    release();
    await settle();

    expect(beforeRelease).toEqual(['a starts']);
    expect(log).toEqual(['a starts', 'a ends', 'b']);
  });

  it('reports what a task throws and goes on with the next', async () => {
    const { sut, reported } = setup();
    const boom = new Error('boom');
    let ranAfter = false;

    void sut.enqueue(() => {
      throw boom;
    });
    await sut.enqueue(() => void (ranAfter = true));

    expect(reported).toEqual([boom]);
    expect(ranAfter).toBe(true);
  });

  it('skips tasks and reports nothing while inactive (the client is closed)', async () => {
    const { sut, reported } = setup();
    let ran = false;
    sut.active = false;

    await sut.enqueue(() => void (ran = true));
    sut.fail(new Error('late'));

    expect(ran).toBe(false);
    expect(reported).toEqual([]);
  });
});
