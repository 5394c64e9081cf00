import { EventEmitter } from 'node:events';
import { ShardRecovery } from './shard-recovery.js';

const flush = () => new Promise((r) => setTimeout(r, 0));

/** A probe the test answers by hand, one call at a time. */
function manualProbe() {
  const calls: { resolve: () => void; reject: (err: Error) => void }[] = [];
  const probe = () => new Promise<void>((resolve, reject) => calls.push({ resolve, reject }));
  return { probe, calls };
}

function setup(options: { retryMs?: number; probeTimeoutMs?: number; stuckAfterMs?: number; lost?: boolean } = {}) {
  const events = new EventEmitter();
  const { probe, calls } = manualProbe();
  const counts = { recovered: 0, stuck: 0 };
  const state = { up: true };
  const sut = new ShardRecovery({
    events,
    probe,
    isUp: () => state.up,
    onRecovered: () => counts.recovered++,
    onStuck: () => counts.stuck++,
    retryMs: options.retryMs ?? 20,
    probeTimeoutMs: options.probeTimeoutMs,
    stuckAfterMs: options.stuckAfterMs,
    lost: options.lost,
  });
  return { sut, events, calls, state, recovered: () => counts.recovered, stuck: () => counts.stuck };
}

describe('ShardRecovery', () => {
  let ctx: ReturnType<typeof setup>;
  afterEach(() => ctx.sut.stop());

  it('does nothing on subscribersReady without a loss (start-up), nor after a command connection closed', async () => {
    ctx = setup();

    ctx.events.emit('-node');
    ctx.events.emit('subscribersReady');
    await flush();

    expect(ctx.calls).toHaveLength(0);
    expect(ctx.recovered()).toBe(0);
  });

  it('probes only after ioredis has re-subscribed, and reports one recovery', async () => {
    ctx = setup();

    ctx.events.emit('-subscriber');
    await flush();
    expect(ctx.calls).toHaveLength(0);
    expect(ctx.sut.recovering).toBe(true);

    ctx.events.emit('subscribersReady');
    ctx.events.emit('subscribersReady');
    expect(ctx.calls).toHaveLength(1);
    ctx.calls[0].resolve();
    await flush();

    expect(ctx.recovered()).toBe(1);
    expect(ctx.sut.recovering).toBe(false);
  });

  it('voids a probe that a new loss overtook, and probes again after the next subscribersReady', async () => {
    ctx = setup();
    ctx.events.emit('close');
    ctx.events.emit('subscribersReady');

    ctx.events.emit('-subscriber');
    ctx.calls[0].resolve();
    await flush();
    expect(ctx.recovered()).toBe(0);

    ctx.events.emit('subscribersReady');
    expect(ctx.calls).toHaveLength(2);
    ctx.calls[1].resolve();
    await flush();

    expect(ctx.recovered()).toBe(1);
  });

  it('retries a failed probe after retryMs while nothing new happens', async () => {
    ctx = setup({ retryMs: 20 });
    ctx.events.emit('reconnecting');
    ctx.events.emit('subscribersReady');

    ctx.calls[0].reject(new Error('Connection is closed.'));
    await flush();
    expect(ctx.calls).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 40));
    expect(ctx.calls).toHaveLength(2);
    ctx.calls[1].resolve();
    await flush();

    expect(ctx.recovered()).toBe(1);
  });

  it('counts a probe that never answers as failed', async () => {
    ctx = setup({ retryMs: 1000, probeTimeoutMs: 20 });
    ctx.events.emit('-subscriber');
    ctx.events.emit('subscribersReady');

    await new Promise((r) => setTimeout(r, 40));
    ctx.events.emit('subscribersReady');

    expect(ctx.calls).toHaveLength(2);
    expect(ctx.recovered()).toBe(0);
  });

  it('reports a client that is up but silent for stuckAfterMs after a loss, and not one that is down', async () => {
    ctx = setup({ retryMs: 10, stuckAfterMs: 60 });
    ctx.state.up = false;
    ctx.events.emit('close');

    await new Promise((r) => setTimeout(r, 100));
    expect(ctx.stuck()).toBe(0);
    ctx.state.up = true;
    ctx.events.emit('ready');
    await new Promise((r) => setTimeout(r, 100));

    expect(ctx.stuck()).toBe(1);
    expect(ctx.calls).toHaveLength(0);
  });

  it('keeps a long outage of one master apart from a stuck client: ioredis keeps signalling', async () => {
    ctx = setup({ retryMs: 10, stuckAfterMs: 60 });
    ctx.events.emit('-subscriber');

    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 25));
      ctx.calls.at(-1)?.reject(new Error('Connection is closed.'));
      ctx.events.emit('-subscriber');
      ctx.events.emit('subscribersReady');
    }

    expect(ctx.stuck()).toBe(0);
  });

  it('starts pending when told it replaces a lost client', async () => {
    ctx = setup({ lost: true });

    ctx.events.emit('subscribersReady');
    ctx.calls[0].resolve();
    await flush();

    expect(ctx.recovered()).toBe(1);
  });
});
