import type pg from 'pg';
import { ReadReplica } from './read-replica.js';
import { lsnValue } from './repositories/replication.repository.js';

/** A replica over fakes: the primary answers `primaryAt`, the replica `replayed` (null: not a standby). */
function setup() {
  const state = { primaryAt: '0/1000', replayed: '0/1000' as string | null, fail: false };
  const primary = { query: async () => [{ lsn: state.primaryAt, block: '8192', segment: '16MB' }] as never[] };
  const pool = {
    query: async () => {
      if (state.fail) throw new Error('connection refused');
      return { rows: [{ lsn: state.replayed }] };
    },
  } as unknown as pg.Pool;
  const problems: string[] = [];
  return { state, problems, sut: new ReadReplica(pool, primary, (m) => problems.push(m)) };
}

describe('ReadReplica', () => {
  it('reads WAL positions as numbers that compare', () => {
    expect(lsnValue('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    expect(lsnValue('0/10') < lsnValue('1/0')).toBe(true);
  });

  it('is fresh as of the last probe whose primary position the replica has replayed', async () => {
    const { state, sut } = setup();
    expect(sut.isFresh(1000)).toBe(false);

    await sut.probe();
    expect(sut.isFresh(1000)).toBe(true);

    state.primaryAt = '0/2000'; // the primary moves on, the replica does not
    await sut.probe();
    expect(sut.isFresh(1000, Date.now() + 1500)).toBe(false);

    state.replayed = '0/2000';
    await sut.probe();
    expect(sut.isFresh(1000)).toBe(true);
  });

  it('counts a primary position just past a page header as the page boundary', async () => {
    const { state, sut } = setup();
    state.primaryAt = '0/2018'; // 0x2000 + a 24-byte page header
    state.replayed = '0/2000';

    await sut.probe();

    expect(sut.isFresh(1000)).toBe(true);
  });

  it('is never fresh when the replica errors or is not a standby, and says so once', async () => {
    const { state, problems, sut } = setup();
    await sut.probe();
    state.fail = true;

    await sut.probe();
    await sut.probe();

    expect(sut.isFresh(1000)).toBe(false);
    expect(problems).toEqual(['replica probe failed: connection refused']);
    state.fail = false;
    state.replayed = null;
    await sut.probe();
    expect(sut.isFresh(1000)).toBe(false);
    expect(problems[1]).toMatch(/not a standby/);
  });
});
