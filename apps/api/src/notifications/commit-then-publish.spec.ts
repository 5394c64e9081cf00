import type { Database, SqlExecutor } from '@herald/database';
import { ErrorCode } from '@herald/contracts';
import { commitThenPublish, MAX_QUEUED, STALLED_BATCH_MS, writeBatch, type PublishBatchWriter } from './commit-then-publish.js';

/** A writer that fails any batch holding a negative item, and needs a transaction for batches holding a 0. */
function setup(fail: (batch: number[]) => Error | undefined = (batch) => (batch.some((i) => i < 0) ? new Error('constraint') : undefined)) {
  const calls: { batch: number[]; inTransaction: boolean }[] = [];
  const tx: SqlExecutor = { query: async () => [] };
  const db = { query: async () => [], transaction: async <T>(work: (t: SqlExecutor) => Promise<T>) => work(tx) } as unknown as Database;
  const writer: PublishBatchWriter<number, number> = {
    needsTransaction: (batch) => batch.includes(0),
    write: async (exec, batch) => {
      calls.push({ batch, inTransaction: exec === tx });
      const err = fail(batch);
      if (err) throw err;
      return batch.map((i) => i * 2);
    },
  };
  return { db, writer, calls };
}

describe('writeBatch', () => {
  it('writes a batch as one statement, or in a transaction where the writer needs one', async () => {
    const { db, writer, calls } = setup();

    await expect(writeBatch(db, writer, [1, 2], 24)).resolves.toEqual([2, 4]);
    await expect(writeBatch(db, writer, [0, 3], 24)).resolves.toEqual([0, 6]);

    expect(calls).toEqual([{ batch: [1, 2], inTransaction: false }, { batch: [0, 3], inTransaction: true }]);
  });

  it('retries each request alone when the batch fails, so only the bad one fails', async () => {
    const { db, writer, calls } = setup();

    const results = await writeBatch(db, writer, [1, -1, 2], 24);

    expect(results[0]).toBe(2);
    expect(results[1]).toEqual(new Error('constraint'));
    expect(results[2]).toBe(4);
    expect(calls.map((c) => c.batch)).toEqual([[1, -1, 2], [1], [-1], [2]]);
  });

  it('fails the whole batch at once when the database is gone: retrying alone would only wait longer', async () => {
    const gone = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const { db, writer, calls } = setup(() => gone);

    await expect(writeBatch(db, writer, [1, 2], 24)).rejects.toBe(gone);
    expect(calls).toHaveLength(1);
  });
});

describe('commitThenPublish while the database stalls', () => {
  it('answers 503 unavailable, unwritten, once MAX_QUEUED requests wait, and reports each refusal', async () => {
    const refusals: string[] = [];
    const commits: number[][] = [];
    const sut = commitThenPublish<number, number>(
      (batch) => (commits.push(batch), new Promise<never>(() => undefined)), // the statement hangs
      () => 1,
      async () => undefined,
      (why) => refusals.push(why),
    );
    const submit = (i: number) => void sut.submit(i).catch(() => undefined);
    submit(0);
    await new Promise((r) => setTimeout(r, STALLED_BATCH_MS + 5));
    submit(1); // the first batch stalled: a second starts beside it, and hangs too
    for (let i = 2; i < MAX_QUEUED.items + 2; i++) submit(i); // both lanes busy: these wait

    await expect(sut.submit(-1)).rejects.toMatchObject({ code: ErrorCode.Unavailable });
    expect(refusals).toEqual(['full']);
    expect(commits).toEqual([[0], [1]]);
  });
});
