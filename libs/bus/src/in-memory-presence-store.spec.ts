import { InMemoryPresenceStore } from './in-memory-presence-store.js';

const report = (id: string, connections = 1, users = 1) => ({ id, connections, users, startedAt: '2026-01-01T00:00:00.000Z' });

describe('InMemoryPresenceStore', () => {
  let now: number;
  let sut: InMemoryPresenceStore;

  beforeEach(() => {
    now = 1_000_000;
    sut = new InMemoryPresenceStore(() => now);
  });

  it('answers true for a new gateway, false for a repeat report', async () => {
    await expect(sut.report(report('gw-a'), 1000)).resolves.toBe(true);
    await expect(sut.report(report('gw-a'), 1000)).resolves.toBe(false);
  });

  it('drops a gateway one interval plus slack after its last report, with its users', async () => {
    await sut.report(report('gw-a', 2, 1), 1000);
    await sut.report(report('gw-b', 1, 1), 1000);
    await sut.setUserCount('gw-a', 'ann', 2);
    await sut.setUserCount('gw-b', 'ann', 1);

    now += 1000;
    await sut.report(report('gw-b', 1, 1), 1000);
    now += 201;

    await expect(sut.stats()).resolves.toMatchObject({ connections: 1, users: 1, gateways: [{ id: 'gw-b' }] });
    await expect(sut.presence('ann')).resolves.toEqual({ online: true, connections: 1 });
  });

  it('removes a user\'s entry at zero and a gateway on shutdown', async () => {
    await sut.report(report('gw-a'), 1000);
    await sut.setUserCount('gw-a', 'ann', 1);
    await sut.setUserCount('gw-a', 'bob', 1);

    await sut.setUserCount('gw-a', 'ann', 0);
    await expect(sut.presence('ann')).resolves.toEqual({ online: false, connections: 0 });
    await sut.removeGateway('gw-a');

    await expect(sut.presence('bob')).resolves.toEqual({ online: false, connections: 0 });
    await expect(sut.stats()).resolves.toEqual({ connections: 0, users: 0, gateways: [] });
  });

  it('replaces all of a gateway\'s counts on resync', async () => {
    await sut.report(report('gw-a'), 1000);
    await sut.setUserCount('gw-a', 'gone', 1);

    await sut.resync('gw-a', () => [['ann', 3]]);

    await expect(sut.presence('gone')).resolves.toMatchObject({ online: false });
    await expect(sut.presence('ann')).resolves.toEqual({ online: true, connections: 3 });
  });

  it('sweeps gateways dead for longer than the grace period', async () => {
    await sut.report(report('gw-a'), 1000);
    now += 1200 + 2000;
    await expect(sut.sweep(2000)).resolves.toBe(0);

    now += 1;

    await expect(sut.sweep(2000)).resolves.toBe(1);
    await expect(sut.report(report('gw-a'), 1000)).resolves.toBe(true);
  });
});
