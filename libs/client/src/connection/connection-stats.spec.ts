import { jest } from '@jest/globals';
import { advance, clientHarness, useFakeTimers, welcome } from '../../testing/client-harness.js';
import { settle } from '../../testing/fake-rest.js';

describe('ConnectionStats (through the client)', () => {
  beforeEach(useFakeTimers);
  afterEach(() => jest.useRealTimers());

  const reports = (rest: ReturnType<typeof clientHarness>['rest']) => rest.calls('/v1/client-stats');

  it('reports a reconnect and a polling fallback once, after the interval, and nothing while healthy', async () => {
    const { sut, ws, rest } = clientHarness({ statsIntervalMs: 1000, failuresBeforePolling: 1 });
    sut.connect();
    await settle();
    await welcome(ws.last());
    await advance(5000);
    const whileHealthy = reports(rest).length;

    ws.last().serverClose(1006); // open → reconnecting
    await advance(250);
    ws.last().serverClose(1006); // a failed connect → polling
    await advance(1000);

    expect(whileHealthy).toBe(0);
    expect(reports(rest)).toHaveLength(1);
    expect(reports(rest)[0]).toMatchObject({ method: 'POST', body: { reconnects: 1, pollingFallbacks: 1 } });
    sut.close();
  });

  it('keeps the counts when a report fails and sends them with the next', async () => {
    const { sut, ws, rest } = clientHarness({ statsIntervalMs: 1000, failuresBeforePolling: 99 });
    sut.connect();
    await settle();
    await welcome(ws.last());
    ws.last().serverClose(1006);
    await advance(250);
    await welcome(ws.last());
    rest.failNext = 1;
    await advance(1000); // this report is lost on the way
    ws.last().serverClose(1006);
    await advance(250);
    await welcome(ws.last());
    await advance(1000);

    expect(reports(rest).map((r) => r.body)).toEqual([
      { reconnects: 1, pollingFallbacks: 0 },
      { reconnects: 2, pollingFallbacks: 0 },
    ]);
    sut.close();
  });

  it('reports nothing with statsIntervalMs 0', async () => {
    const { sut, ws, rest } = clientHarness({ statsIntervalMs: 0 });
    sut.connect();
    await settle();
    await welcome(ws.last());
    ws.last().serverClose(1006);
    await advance(60_000);

    expect(reports(rest)).toHaveLength(0);
    sut.close();
  });
});
