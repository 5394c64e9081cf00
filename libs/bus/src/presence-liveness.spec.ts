import { liveIds, liveWindowMs, presenceFrom, summarize, toGatewayStats } from './presence-liveness.js';

describe('presence liveness', () => {
  it('grants one interval plus a slack of a fifth, at least 200 ms', () => {
    expect(liveWindowMs(5000)).toBe(6000);
    expect(liveWindowMs(300)).toBe(500);
    expect(liveWindowMs(100)).toBe(300);
  });

  it('keeps only ids whose alive-until score is still ahead', () => {
    const sut = liveIds(['gw-a', '1000', 'gw-b', '1001', 'gw-c', '999'], 1000);

    expect([...sut]).toEqual(['gw-b']);
  });

  it('sums reports and lists the oldest gateway first', () => {
    const sut = summarize([
      { id: 'b', connections: 3, users: 2, startedAt: '2026-01-02T00:00:00.000Z' },
      { id: 'a', connections: 4, users: 4, startedAt: '2026-01-01T00:00:00.000Z' },
    ]);

    expect(sut).toEqual({
      connections: 7,
      users: 6,
      gateways: [
        { id: 'a', connections: 4, users: 4, startedAt: '2026-01-01T00:00:00.000Z' },
        { id: 'b', connections: 3, users: 2, startedAt: '2026-01-02T00:00:00.000Z' },
      ],
    });
  });

  it('counts a user\'s sockets on live gateways only', () => {
    const live = new Set(['gw-a', 'gw-b']);

    expect(presenceFrom({ 'gw-a': '2', 'gw-b': '1', 'gw-dead': '5' }, live)).toEqual({ online: true, connections: 3 });
    expect(presenceFrom({ 'gw-dead': '5' }, live)).toEqual({ online: false, connections: 0 });
    expect(presenceFrom({}, live)).toEqual({ online: false, connections: 0 });
  });

  it('lists only the public fields of a stored report and rejects junk', () => {
    const stored = { id: 'gw', connections: 2, users: 1, startedAt: '2026-01-01T00:00:00.000Z', reportedAt: 5 };

    expect(toGatewayStats(stored)).toEqual({ id: 'gw', connections: 2, users: 1, startedAt: '2026-01-01T00:00:00.000Z' });
    expect(toGatewayStats(null)).toBeUndefined();
    expect(toGatewayStats({ connections: 1 })).toBeUndefined();
  });
});
