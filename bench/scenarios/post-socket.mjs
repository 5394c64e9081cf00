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
// compare with).
import { sleep } from '../../scripts/harness/wait.mjs';
import { withSession } from '../lib/deploy.mjs';
import { profileDuring } from '../lib/cpuprofile.mjs';
import { worst } from '../lib/figures.mjs';
import { log } from '../lib/util.mjs';
import { openLoopPhase } from './e2e.mjs';

export async function runPostSocket(ctx, cfg) {
  const results = { herald: {}, reference: {}, socketio: {} };
  // Mode by mode, its systems back to back, so that the figures compared with each other are the closest in time.
  for (const mode of cfg.modes) {
    for (const kind of cfg.kinds) {
      await withSession(ctx, kind, { gateways: 2, sockets: cfg.users, publishers: 1, mode, heartbeatMs: cfg.heartbeatMs }, async (session) => {
        await sleep(Math.max(0, session.connectedAt + session.heartbeatMs + 1000 - Date.now()));
        const phase = { rate: cfg.rate, maxInFlight: 256, publishers: 1 };
        await openLoopPhase(ctx, session, { ...phase, tag: `post-socket-${kind}-${mode}-warm`, durationMs: cfg.warmupMs });
        const measure = () => openLoopPhase(ctx, session, { ...phase, tag: `post-socket-${kind}-${mode}`, durationMs: cfg.durationMs });
        // --cpu-profile: where each system's processes spend the measured phase (side by side, docs/benchmarks.md round 11);
        // every system bears the profiler's cost, so the comparison stays fair.
        const r = ctx.cpuProfile ? await profileDuring(ctx.profileDir, `post-socket-${mode}`, [session.system.api, ...session.system.gateways], measure) : await measure();
        log(`  post_socket ${kind} ${mode}: p50 ${r.latency.p50} p99 ${r.latency.p99} ms, ${r.received}/${r.deliveries} delivered, ${Math.round(r.achievedRate)}/s${[...r.flags, ...r.notes].map((f) => ` ⚠ ${f}`).join('')}`);
        results[kind][mode] = r;
      });
    }
  }
  report(ctx, cfg, results);
  return { config: cfg, ...results };
}

function report(ctx, cfg, { herald, reference, socketio }) {
  const scenario = `POST → socket, ${cfg.users} users on 2 gateways, ${cfg.rate}/s`;
  for (const mode of cfg.modes) {
    const h = herald[mode];
    if (!h) continue;
    for (const stat of ['p50', 'p99']) {
      ctx.figures.add({
        key: `post_socket.${stat}_ms.${mode}`,
        scenario,
        label: `POST → frame ${stat}, synchronous_commit=${mode === 'durable' ? 'on' : 'off'} (${h.received}/${h.deliveries} delivered)`,
        value: h.latency[stat] ?? NaN,
        unit: 'ms',
        reference: { value: reference[mode]?.latency[stat] ?? NaN, label: 'reference (ws + ioredis)' },
        secondary: { value: socketio[mode]?.latency[stat] ?? NaN, label: `Socket.IO + redis adapter ${stat}` },
        flags: h.flags,
        notes: h.notes,
      });
    }
  }
  const lost = cfg.modes.map((m) => herald[m]?.lost ?? NaN);
  ctx.figures.add({ key: 'post_socket.lost', scenario, label: 'frames confirmed but not delivered (worst mode)', value: worst(lost, false), unit: 'frames' });
}
