// POST → socket at the issue's load (issue 16): `users` users online over
// two gateways, an open-loop publisher POSTing one notification to a random
// online user at `rate`/s, latency from the scheduled send time to the
// frame on the socket. Three systems, each on its own deployment: Herald,
// the reference (node:http + ws + ioredis + pg) and the Socket.IO peer
// (bench/socketio-server.mjs: socket.io + @socket.io/redis-adapter).
// Every synchronous_commit mode gets fresh deployments started in it, so
// every process of a system (Herald's gateways write delivery receipts)
// commits the way the mode says. A phase starts a heartbeat interval after
// the last socket connected, so every Herald socket is in a heartbeat round
// (spread over 90 % of the interval), as in a pod that has been up a
// while. The peers ping in bursts: the reference every socket at once, one
// interval after it started; Socket.IO each socket one interval after it
// connected. Both bursts fall before the measured window, so only Herald's
// pings are measured: the comparison leans against Herald. `--set
// 'postSocket.kinds=["herald"]'` runs only those systems (an A/B of two
// Herald builds needs no peers; the report then has no peer figures to
// compare with). `rounds` > 1 measures each system that many times, the
// systems back to back in each round, and reports each one's median over
// its rounds (an odd count makes that one round's figure): on a host whose
// tails jitter by tens of milliseconds (round 17), one round's p99 says
// more about the host than about the system.
import { sleep } from '../../scripts/harness/wait.mjs';
import { withSession } from '../lib/deploy.mjs';
import { profileDuring } from '../lib/cpuprofile.mjs';
import { worst } from '../lib/figures.mjs';
import { log, median, round } from '../lib/util.mjs';
import { openLoopPhase } from './e2e.mjs';

export async function runPostSocket(ctx, cfg) {
  const rounds = cfg.rounds ?? 1;
  /** kind → mode → one phase's result per round. */
  const results = { herald: {}, reference: {}, socketio: {} };
  // Mode by mode and round by round, its systems back to back, so that the figures compared with each other are the closest in time.
  for (const mode of cfg.modes) {
    for (let i = 0; i < rounds; i++) {
      for (const kind of cfg.kinds) (results[kind][mode] ??= []).push(await measurePhase(ctx, cfg, kind, mode, rounds > 1 ? i + 1 : null));
    }
  }
  report(ctx, cfg, results);
  return { config: cfg, ...results };
}

/** One system's phase in one mode, on a deployment of its own started in that mode; `roundNo` is null when there is one round. */
function measurePhase(ctx, cfg, kind, mode, roundNo) {
  const roundTag = roundNo === null ? '' : ` round ${roundNo}/${cfg.rounds}`;
  return withSession(ctx, kind, { gateways: 2, sockets: cfg.users, publishers: 1, mode, heartbeatMs: cfg.heartbeatMs }, async (session) => {
    await sleep(Math.max(0, session.connectedAt + session.heartbeatMs + 1000 - Date.now()));
    const phase = { rate: cfg.rate, maxInFlight: 256, publishers: 1 };
    await openLoopPhase(ctx, session, { ...phase, tag: `post-socket-${kind}-${mode}-warm`, durationMs: cfg.warmupMs });
    const measure = () => openLoopPhase(ctx, session, { ...phase, tag: `post-socket-${kind}-${mode}`, durationMs: cfg.durationMs });
    // --cpu-profile: where each system's processes spend the measured phase (side by side, docs/benchmarks.md round 11);
    // every system bears the profiler's cost, so the comparison stays fair.
    const r = ctx.cpuProfile ? await profileDuring(ctx.profileDir, `post-socket-${mode}${roundNo === null ? '' : `-round${roundNo}`}`, [session.system.api, ...session.system.gateways], measure) : await measure();
    log(`  post_socket ${kind} ${mode}${roundTag}: p50 ${r.latency.p50} p99 ${r.latency.p99} ms, ${r.received}/${r.deliveries} delivered, ${Math.round(r.achievedRate)}/s${[...r.flags, ...r.notes].map((f) => ` ⚠ ${f}`).join('')}`);
    return r;
  });
}

/** A statistic's median over a system's rounds in one mode (NaN when the system did not run). */
const medianOf = (phases, stat) => (phases ? round(median(phases.map((r) => r.latency[stat])), 3) : NaN);

function report(ctx, cfg, { herald, reference, socketio }) {
  const scenario = `POST → socket, ${cfg.users} users on 2 gateways, ${cfg.rate}/s`;
  const rounds = cfg.rounds ?? 1;
  for (const mode of cfg.modes) {
    const h = herald[mode];
    if (!h) continue;
    const received = h.reduce((n, r) => n + r.received, 0);
    const deliveries = h.reduce((n, r) => n + r.deliveries, 0);
    for (const stat of ['p50', 'p99']) {
      const each = (phases) => (phases ? phases.map((r) => (Number.isFinite(r.latency[stat]) ? r.latency[stat].toFixed(1) : '—')).join(', ') : '—');
      const of = rounds > 1 ? `, median of ${rounds} rounds; each round: Herald ${each(h)}, reference ${each(reference[mode])}, Socket.IO ${each(socketio[mode])} ms` : '';
      ctx.figures.add({
        key: `post_socket.${stat}_ms.${mode}`,
        scenario,
        label: `POST → frame ${stat}, synchronous_commit=${mode === 'durable' ? 'on' : 'off'} (${received}/${deliveries} delivered${of})`,
        value: medianOf(h, stat),
        unit: 'ms',
        reference: { value: medianOf(reference[mode], stat), label: 'reference (ws + ioredis)' },
        secondary: { value: medianOf(socketio[mode], stat), label: `Socket.IO + redis adapter ${stat}` },
        flags: [...new Set(h.flatMap((r) => r.flags))],
        notes: [...new Set(h.flatMap((r) => r.notes))],
      });
    }
  }
  const lost = cfg.modes.flatMap((m) => herald[m]?.map((r) => r.lost) ?? [NaN]);
  ctx.figures.add({ key: 'post_socket.lost', scenario, label: 'frames confirmed but not delivered (worst round and mode)', value: worst(lost, false), unit: 'frames' });
}
