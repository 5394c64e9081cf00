import { throttleSlotRefresh, type SlotRefresher } from './slot-refresh-throttle.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function fakeCluster() {
  const runs: ((err?: Error | null) => void)[] = [];
  const sut: SlotRefresher = { refreshSlotsCache: (callback) => runs.push(callback ?? (() => undefined)) };
  return { sut, runs };
}

describe('throttleSlotRefresh', () => {
  it('runs the first refresh at once and merges the next ones into one, after the interval', async () => {
    const { sut, runs } = fakeCluster();
    throttleSlotRefresh(sut, 40);
    const results: string[] = [];

    sut.refreshSlotsCache((err) => results.push(`a:${err ?? 'ok'}`));
    sut.refreshSlotsCache((err) => results.push(`b:${err ?? 'ok'}`));
    sut.refreshSlotsCache();
    sut.refreshSlotsCache((err) => results.push(`c:${err ?? 'ok'}`));
    expect(runs).toHaveLength(1);
    runs[0]();

    await sleep(60);
    expect(runs).toHaveLength(2);
    runs[1](new Error('down'));

    expect(results).toEqual(['a:ok', 'b:Error: down', 'c:Error: down']);
  });

  it('refreshes at once again when the last refresh is older than the interval', async () => {
    const { sut, runs } = fakeCluster();
    throttleSlotRefresh(sut, 20);

    sut.refreshSlotsCache();
    await sleep(30);
    sut.refreshSlotsCache();

    expect(runs).toHaveLength(2);
  });
});
