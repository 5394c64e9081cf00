// `npm run bench [-- flags]`: Herald's benchmark harness (issue 6).
//
//   --quick            a reduced load, < 2 min with the build
//   --tiny             with --quick: the CI smoke load (a few hundred sockets)
//   --out <dir>        where the JSON result goes (default bench-results/)
//   --no-docs          do not rewrite docs/benchmarks.md
//   --scenario <name>  run only these (repeat or comma-separate): baselines,
//                      post_latency, post_socket, idle, e2e, e2e_heavy, ingest,
//                      ingest_batched, fanout, topics, reconnect, worker, inbox
//   --cpu-profile      record V8 CPU profiles of the api and gateways during
//                      the measured phases (<out>/profiles/<stamp>/)
//   --syscalls         post_latency: count each api's system calls per POST
//                      with strace (the phases' other figures are void then)
//   --alloc-profile    post_latency: sample what each api allocates per POST
//   --wait-quiet <s>   before each scenario wait up to <s> seconds for other
//                      work on the machine to stop (default 20 full, 0 quick)
//   --set a.b=v        override a profile setting, e.g. --set reconnect.sockets=5000
//   --scale            only the inbox at scale: 20 M rows for 1 M users beside
//                      1 M rows, generated in SQL (bench/scale/; ~10 GB of disk)
//
// Postgres and Redis are started when down; the api, the gateways, the
// reference server and the load clients are separate processes; every
// deployment gets its own database (dropped) and Redis prefix (deleted).
import { useDistSnapshot } from './lib/system.mjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { killAllSync } from '../scripts/harness/child-processes.mjs';
import { ensureServices } from '../scripts/harness/services.mjs';
import { describeMachine, dropOwnDatabases, setRunId } from './lib/infra.mjs';
import { Figures } from './lib/figures.mjs';
import { PROFILES } from './lib/profiles.mjs';
import { updateDocs, writeJson } from './lib/report.mjs';
import { newSecret, serviceToken } from './lib/tokens.mjs';
import { log } from './lib/util.mjs';
import { runBaselines } from './scenarios/baselines.mjs';
import { runPostLatency } from './scenarios/post-latency.mjs';
import { runPostSocket } from './scenarios/post-socket.mjs';
import { runIdle } from './scenarios/idle.mjs';
import { runShared, SHARED_SCENARIOS } from './scenarios/shared.mjs';
import { runReconnect } from './scenarios/reconnect.mjs';
import { runWorker } from './scenarios/worker.mjs';
import { runInbox } from './scenarios/inbox.mjs';
import { waitQuiet } from './lib/contention.mjs';
import { runScale } from './scale/run-scale.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// In run order. The shared ones (e2e, e2e_heavy, ingest, ingest_batched,
// fanout, topics) run together on one deployment per system: see scenarios/shared.mjs.
const SCENARIOS = {
  baselines: (ctx, p) => runBaselines(ctx, p.baselines),
  post_latency: (ctx, p) => runPostLatency(ctx, p.postLatency),
  post_socket: (ctx, p) => runPostSocket(ctx, p.postSocket),
  idle: (ctx, p) => runIdle(ctx, p.idle),
  ...Object.fromEntries(SHARED_SCENARIOS.map((n) => [n, 'shared'])),
  reconnect: (ctx, p) => runReconnect(ctx, p.reconnect),
  worker: (ctx, p) => runWorker(ctx, p.worker),
  inbox: (ctx, p) => runInbox(ctx, p.inbox),
};
/** A run that takes longer than this is stuck: kill everything and fail. */
const WATCHDOG_MS = { full: 50 * 60_000, quick: 8 * 60_000, tiny: 4 * 60_000, scale: 90 * 60_000 };

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    tiny: { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(ROOT, 'bench-results') },
    'no-docs': { type: 'boolean', default: false },
    scenario: { type: 'string', multiple: true, default: [] },
    'cpu-profile': { type: 'boolean', default: false },
    syscalls: { type: 'boolean', default: false },
    'alloc-profile': { type: 'boolean', default: false },
    'wait-quiet': { type: 'string' },
    set: { type: 'string', multiple: true, default: [] },
    scale: { type: 'boolean', default: false },
  },
});
const profileName = args.tiny ? 'tiny' : args.quick ? 'quick' : 'full';
const profile = structuredClone(PROFILES[profileName]);
// --set reconnect.sockets=5000: override one setting of the profile (experiments; recorded in the result).
for (const kv of args.set) {
  const [keyPath, raw] = kv.split('=');
  const keys = keyPath.split('.');
  const parent = keys.slice(0, -1).reduce((o, k) => o?.[k], profile);
  if (!parent || !(keys.at(-1) in parent)) throw new Error(`--set ${kv}: no such setting`);
  // JSON for lists and true/false (the string "false" would be truthy), a number, else the text as is.
  parent[keys.at(-1)] = raw.startsWith('[') || raw === 'true' || raw === 'false' ? JSON.parse(raw) : Number.isNaN(Number(raw)) ? raw : Number(raw);
}
const wanted = args.scenario.flatMap((s) => s.split(',')).filter(Boolean);
for (const s of wanted) if (!SCENARIOS[s]) throw new Error(`unknown scenario ${s}; one of ${Object.keys(SCENARIOS).join(', ')}`);
const selected = wanted.length ? Object.keys(SCENARIOS).filter((s) => wanted.includes(s)) : Object.keys(SCENARIOS);
const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
const outDir = path.resolve(args.out);
// A private copy of dist/ for this run (git-ignored as bench-results/*.tmp), removed at exit.
const removeDist = useDistSnapshot(path.join(ROOT, 'bench-results', `.dist-${stamp}-${process.pid}.tmp`));
/** Every process this run started (api, gateways, reference servers, load clients), then the dist/ copy. */
const killAll = () => {
  killAllSync();
  removeDist();
};
const cleanup = () => killAll();
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    log(`${sig}: stopping`);
    killAll();
    await dropOwnDatabases().catch(() => undefined);
    process.exit(130);
  });
}
const watchdogMs = args.scale ? WATCHDOG_MS.scale : WATCHDOG_MS[profileName];
const watchdog = setTimeout(async () => {
  log(`watchdog: the ${args.scale ? 'scale' : profileName} run exceeded ${watchdogMs / 60_000} min, aborting`);
  killAll();
  await dropOwnDatabases().catch(() => undefined);
  process.exit(2);
}, watchdogMs);
watchdog.unref();

const started = Date.now();
await ensureServices(log);
const secret = newSecret();
/** Seconds to wait, before each scenario, for other work on the machine to calm down (default 20 full, 0 otherwise). */
const waitQuietMs = Number(args['wait-quiet'] ?? (profileName === 'full' ? 20 : 0)) * 1000;
const ctx = {
  profile,
  profileName,
  runId: stamp.replace(/-/g, '').slice(2, 15).toLowerCase(),
  secret,
  serviceToken: serviceToken(secret),
  machine: await describeMachine(),
  figures: new Figures(profileName),
  cpuProfile: args['cpu-profile'],
  syscalls: args.syscalls,
  allocProfile: args['alloc-profile'],
  profileDir: path.join(outDir, 'profiles', stamp),
  baselines: null,
};
setRunId(ctx.runId);
if (args.scale) {
  await runScale(ctx, { outDir, stamp, docsPath: path.join(ROOT, 'docs/benchmarks.md'), writeDocs: !args['no-docs'] });
  clearTimeout(watchdog);
  process.exit(0);
}
log(`profile ${profileName}: ${selected.join(', ')}; ${ctx.machine.nproc} cores, ${ctx.machine.memoryGiB} GiB, node ${ctx.machine.node}, pg ${ctx.machine.postgres}, redis ${ctx.machine.redis}`);

const scenarios = {};
const failures = {};
let sharedDone = false;
/** The result so far; written after every scenario, so an interrupted run keeps what it measured. */
function snapshot(complete) {
  return {
    profile: profileName,
    complete,
    startedAt: new Date(started).toISOString(),
    durationS: Math.round((Date.now() - started) / 1000),
    scenarios: selected,
    machine: ctx.machine,
    settings: settings(profile, profileName),
    figures: ctx.figures.list,
    failures,
    details: scenarios,
  };
}
for (const name of selected) {
  const t0 = Date.now();
  if (SCENARIOS[name] === 'shared' && sharedDone) continue;
  if (waitQuietMs) await waitQuiet(waitQuietMs, 10, log);
  try {
    if (SCENARIOS[name] !== 'shared') scenarios[name] = await SCENARIOS[name](ctx, profile);
    else if (!sharedDone) {
      sharedDone = true;
      const shared = await runShared(ctx, profile, selected.filter((n) => SCENARIOS[n] === 'shared'));
      Object.assign(scenarios, shared.details);
      Object.assign(failures, shared.failures);
    } else continue;
  } catch (err) {
    failures[name] = String(err?.stack ?? err);
    log(`${name} failed: ${err?.message ?? err}`);
  }
  log(`${SCENARIOS[name] === 'shared' ? 'shared scenarios' : name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  writeJson(outDir, stamp, snapshot(false));
}

const result = snapshot(true);
const jsonPath = writeJson(outDir, stamp, result);
log(`results: ${jsonPath}`);
if (!args['no-docs']) {
  updateDocs(path.join(ROOT, 'docs/benchmarks.md'), outDir, profileName);
  log('docs/benchmarks.md updated');
}
for (const f of result.figures) log(`  ${f.key}: ${f.value} ${f.unit}${f.ratio !== null && f.ratio !== undefined ? ` (${f.ratio}× reference)` : ''}${f.quotable ? '' : ' ⚠ not quotable'}${f.met === false ? ' — target missed' : ''}`);
clearTimeout(watchdog);
process.exitCode = Object.keys(failures).length ? 1 : 0;

/** How POST → socket repeats its systems, for the settings line: nothing when it measures each once. */
function postSocketRounds({ rounds = 1, kinds }) {
  return rounds > 1 ? `, ${rounds} rounds with the ${kinds.length === 1 ? 'system' : 'systems back to back'} in each (each figure the median over the rounds)` : '';
}

function settings(p, name) {
  const summary = [
    `profile ${name}${args.set.length ? ` with ${args.set.join(', ')}` : ''}`,
    `publish path: 1 api process, no gateways, ${p.postLatency.users} users cycled, Herald and reference alternating phase by phase`,
    `POST → socket: ${p.postSocket.users} users on 2 gateways at ${p.postSocket.rate}/s, Herald, reference and Socket.IO + redis adapter each on its own deployment per mode${postSocketRounds(p.postSocket)}, measured from a heartbeat interval after the last socket connected (the peers' ping bursts fall before the window, Herald's spread round inside it)`,
    `1 api process; gateways: idle ${p.idle.gateways}, end to end / fan-out / topics / ingestion ${p.e2e.gateways} (one shared deployment with ${Math.max(p.e2e.sockets, p.e2eHeavy.sockets, p.fanout.sockets, p.topics.sockets)} sockets), reconnect ${p.reconnect.gateways}`,
    `DATABASE_POOL_SIZE ${p.poolSize} per process (Herald and reference)`,
    `LOG_LEVEL warn, NODE_ENV production, HERALD_PUBLISH_RATE_PER_SECOND lifted to 10,000,000 (the limiter still runs)`,
    `heartbeat ${p.idle.heartbeatMs} ms in the idle scenario, ${p.postSocket.heartbeatMs} ms in POST → socket, 25,000 ms elsewhere`,
    `durable = synchronous_commit on (Postgres default), async = synchronous_commit off (ALTER DATABASE; the api restarted, or in POST → socket fresh deployments started in the mode)`,
    `a load client is saturated when its event-loop delay p99 > ${process.env.BENCH_SATURATED_LAG_MS ?? 25} ms or it uses > 85 % of a core; its figures are flagged ⚠`,
    `latency and loss figures show the worst run (POST → socket's latency the median over its rounds), throughput figures the worst or median as labelled`,
    `a window in which other processes on the machine used > 10 % of it is flagged ⚠ (the machine may be shared)`,
  ].join('; ');
  return { summary, profile: p };
}
process.exit();
