// A load generator process, forked by bench/run.mjs. It holds sockets
// (lib/socket-pool.mjs) and/or publishes (lib/publisher.mjs) on command over
// the IPC channel, and watches itself: event-loop delay
// (perf_hooks.monitorEventLoopDelay) and CPU use since the last `reset`, so a
// phase measured by a saturated client is flagged instead of quoted.
//
// Protocol: parent sends { id, cmd, args }, we answer { id, ok, result | error }.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SocketPool } from './lib/socket-pool.mjs';
import { publish } from './lib/publisher.mjs';
import { nowMs } from './lib/util.mjs';

const LAG_RESOLUTION_MS = 10;
/** A client whose event loop is late by more than this at p99, or busier than this share of a core, is saturated. */
const SATURATED_LAG_P99_MS = Number(process.env.BENCH_SATURATED_LAG_MS ?? 25);
const SATURATED_CPU_PCT = 85;

let pool = null;
let lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
let cpuMark = process.cpuUsage();
let wallMark = nowMs();
lag.enable();

function resetLoad() {
  lag.disable();
  lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  lag.enable();
  cpuMark = process.cpuUsage();
  wallMark = nowMs();
}

/** Event-loop delay beyond the sampling interval (ms) and CPU share of one core since the last reset. */
function load() {
  const ms = (ns) => Math.max(0, ns / 1e6 - LAG_RESOLUTION_MS);
  const cpu = process.cpuUsage(cpuMark);
  const cpuPct = ((cpu.user + cpu.system) / 1000 / Math.max(1, nowMs() - wallMark)) * 100;
  const lagP99 = lag.count ? ms(lag.percentile(99)) : 0;
  return {
    pid: process.pid,
    lagP50Ms: lag.count ? ms(lag.percentile(50)) : 0,
    lagP99Ms: lagP99,
    lagMaxMs: lag.count ? ms(lag.max) : 0,
    cpuPct,
    saturated: lagP99 > SATURATED_LAG_P99_MS || cpuPct > SATURATED_CPU_PCT,
  };
}

const handlers = {
  connect: (a) => (pool ??= new SocketPool()).connect(a),
  subscribeTopic: (a) => pool?.subscribeTopic(a) ?? { subscribed: 0, ms: 0 },
  reset: (a) => {
    pool?.reset(a.tag);
    resetLoad();
    return true;
  },
  stats: () => ({ ...(pool?.stats() ?? emptyStats()), load: load() }),
  verify: (a) => pool?.verify(a.expected) ?? { checked: 0, missing: 0, usersBehind: 0, notConnected: 0 },
  publish: async (a) => {
    resetLoad();
    const result = await publish(a);
    return { ...result, load: load() };
  },
  closeAll: () => pool?.closeAll() ?? { closed: 0 },
  memory: () => process.memoryUsage(),
};

function emptyStats() {
  return { received: 0, dups: 0, gaps: 0, resyncs: 0, reconnects: 0, closes: {}, connectErrors: {}, open: 0, synced: 0, sockets: 0, hist: null };
}

process.on('message', async ({ id, cmd, args }) => {
  try {
    const handler = handlers[cmd];
    if (!handler) throw new Error(`unknown command ${cmd}`);
    reply({ id, ok: true, result: await handler(args ?? {}) });
  } catch (err) {
    reply({ id, ok: false, error: String(err?.stack ?? err) });
  }
});

/** The orchestrator may be gone (killed run): then there is nobody to answer. */
function reply(message) {
  if (process.connected) process.send(message, (err) => err && process.exit(0));
}
// The orchestrator went away: nothing left to measure for.
process.on('disconnect', () => process.exit(0));
