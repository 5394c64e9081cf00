import { jest } from '@jest/globals';
import { InMemoryPresenceStore } from '@herald/bus';
import type { HeraldConfig } from '@herald/config';
import type { ClientSession } from '../connection/client-session.js';
import { ChannelRegistry } from '../fanout/channel-registry.js';
import type { StreamKind } from '../streams/stream-kind.js';
import { SessionRegistry } from '../connection/session-registry.js';
import { PresenceReporter } from './presence-reporter.js';

const session = (userId: string) => ({ userId }) as ClientSession;
// Counts are written on the next event-loop turn (setImmediate), then in
// promise steps: let a few turns pass rather than a wall-clock 5 ms, which a
// loaded machine can stretch past the write or shrink before it.
const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

function setup() {
  const store = new InMemoryPresenceStore();
  const registry = new SessionRegistry(new ChannelRegistry(), {} as StreamKind);
  const config = { gateway: { reportIntervalMs: 60_000 } } as HeraldConfig;
  const sut = new PresenceReporter(store, registry, config);
  return { sut, store, registry };
}

describe('PresenceReporter', () => {
  let ctx: ReturnType<typeof setup>;

  beforeEach(async () => {
    ctx = setup();
    await ctx.sut.onModuleInit();
  });
  afterEach(async () => {
    await ctx.sut.onApplicationShutdown();
  });

  it('reports itself at start and its counts on every tick', async () => {
    const { sut, store, registry } = ctx;
    await expect(store.stats()).resolves.toMatchObject({ connections: 0, gateways: [{ id: sut.gatewayId, startedAt: sut.startedAt }] });

    registry.add(session('ann'));
    registry.add(session('ann'));
    registry.add(session('bob'));
    await sut.tick();

    await expect(store.stats()).resolves.toMatchObject({ connections: 3, users: 2 });
  });

  it("writes a user's socket count as soon as it changes", async () => {
    const { store, registry } = ctx;
    const a = session('ann');
    const b = session('ann');

    registry.add(a);
    registry.add(b);
    await flush();
    await expect(store.presence('ann')).resolves.toEqual({ online: true, connections: 2 });

    registry.remove(a);
    await flush();
    await expect(store.presence('ann')).resolves.toEqual({ online: true, connections: 1 });

    registry.remove(b);
    await flush();
    await expect(store.presence('ann')).resolves.toEqual({ online: false, connections: 0 });
  });

  it('writes all the counts that changed in one turn with one store call, the latest count each', async () => {
    const { store, registry } = ctx;
    const write = jest.spyOn(store, 'setUserCounts');
    const a = session('ann');

    registry.add(a);
    registry.add(session('bob'));
    registry.add(session('cy'));
    registry.remove(a);
    await flush();

    expect(write).toHaveBeenCalledTimes(1);
    expect(new Map(write.mock.calls[0][1])).toEqual(new Map([['ann', 0], ['bob', 1], ['cy', 1]]));
    await expect(store.presence('ann')).resolves.toEqual({ online: false, connections: 0 });
    await expect(store.presence('cy')).resolves.toEqual({ online: true, connections: 1 });
  });

  it('writes every count again after a peer swept it as dead', async () => {
    const { sut, store, registry } = ctx;
    registry.add(session('ann'));
    await flush();

    await store.removeGateway(sut.gatewayId);
    await sut.tick();

    await expect(store.presence('ann')).resolves.toEqual({ online: true, connections: 1 });
  });

  it('writes every count again after a failed write', async () => {
    const { sut, store, registry } = ctx;
    jest.spyOn(store, 'setUserCounts').mockRejectedValueOnce(new Error('redis down'));

    registry.add(session('ann'));
    await flush();
    await expect(store.presence('ann')).resolves.toMatchObject({ online: false });
    await sut.tick();

    await expect(store.presence('ann')).resolves.toEqual({ online: true, connections: 1 });
  });

  it('stops writing once stopped and removes itself on shutdown', async () => {
    const { sut, store, registry } = ctx;
    registry.add(session('ann'));
    await flush();

    sut.stop();
    registry.add(session('bob'));
    await flush();
    await expect(store.presence('bob')).resolves.toMatchObject({ online: false });
    await sut.onApplicationShutdown();

    await expect(store.presence('ann')).resolves.toMatchObject({ online: false });
    await expect(store.stats()).resolves.toEqual({ connections: 0, users: 0, gateways: [] });
  });
});
