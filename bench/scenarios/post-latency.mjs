// The publish path (issue 16): POST /v1/notifications round trip with no
// sockets connected, one api process, a keep-alive client, single-recipient
// POSTs `{"recipients":["u<i % users>"],"type":"bench","title":"bench","data":{…~100 bytes}}`.
// Herald and the reference server (bench/reference-server.mjs: node:http,
// one INSERT … RETURNING, one PUBLISH) run side by side on the same Postgres
// and Redis, and every phase runs on Herald then on the reference before the
// next, so a change in the machine's load hits both. Per synchronous_commit
// mode: sequential (one at a time), open loops at each rate (sent on
// schedule whatever the answers; latency from the scheduled send time), and a
// closed loop for ingest rows/s. The api's CPU (its process, /proc) per POST
// comes from each phase. Then, on Herald alone, a traced run at the top rate
// (bench/lib/trace-preload.mjs) breaks a request down into its steps.
//
// BENCH_POST_VARIANTS='before=/path/to/dist,…' adds other builds of Herald
// (earlier commits: `git archive` one, link node_modules, `npm run build`)
// to the same alternation, so each lever is measured before/after under the
// same load; they are logged and kept in the result's details, not figures.
// `label=dist|--flag …` runs that build with those flags on its command line
// (GC settings; V8 flags NODE_OPTIONS refuses, such as --single-threaded-gc, too).
import { fileURLToPath } from 'node:url';
import { contentionFlags, startContention } from '../lib/contention.mjs';
import { withClients, withDeployment } from '../lib/deploy.mjs';
import { loadFlags, requestNotes, worst } from '../lib/figures.mjs';
import { merge, summarize } from '../lib/hist.mjs';
import { cpuMeter } from '../lib/procs.mjs';
import { mainThreadCpuSeconds } from '../../scripts/harness/proc-stat.mjs';
import { profileDuring } from '../lib/cpuprofile.mjs';
import { countSyscallsDuring, perOperation } from '../lib/syscalls.mjs';
import { allocationLine, allocationsDuring } from '../lib/allocprofile.mjs';
import { distDir } from '../lib/system.mjs';
import { log, round } from '../lib/util.mjs';

const TABLE = { herald: 'notifications', reference: 'ref_notifications' };
const TRACE_PRELOAD = fileURLToPath(new URL('../lib/trace-preload.mjs', import.meta.url));
/** data = { sentAt, tag, pad }: about 100 bytes of JSON. */
const PAD = 40;

async function phase(ctx, session, cfg, opts) {
  const { system, db, kind, client } = session;
  const [{ n: before }] = await db.query(`SELECT count(*)::int AS n FROM ${TABLE[kind]}`);
  const stopContention = startContention();
  const stopCpu = cpuMeter([system.api]);
  const mainBefore = mainThreadCpuSeconds(system.api.pid);
  const res = await client.call(
    'publish',
    { apiUrl: system.api.url, token: ctx.serviceToken, users: { prefix: 'u' }, cycleUsers: cfg.users, padData: PAD, ...opts },
    opts.durationMs + 60_000,
  );
  const cpu = stopCpu();
  const mainCpu = mainThreadCpuSeconds(system.api.pid) - mainBefore;
  const contention = await stopContention();
  const [{ n: after }] = await db.query(`SELECT count(*)::int AS n FROM ${TABLE[kind]}`);
  return {
    tag: opts.tag,
    posts: res.sent,
    ok: res.ok,
    rowsPerSecond: (after - before) / (res.elapsedMs / 1000),
    postsPerSecond: res.ok / (res.elapsedMs / 1000),
    latency: summarize(merge([res.postLatency])),
    apiCpuMsPerPost: (cpu.total * 1000) / res.ok,
    // The rest of the api's CPU went to its other threads (V8's GC and compiler helpers).
    apiMainThreadCpuMsPerPost: (mainCpu * 1000) / res.ok,
    apiCorePct: (cpu.total * 100) / (res.elapsedMs / 1000),
    flags: [...loadFlags([res.load]), ...contentionFlags(contention)],
    notes: requestNotes(res),
  };
}

/** The phases of one mode, each on Herald then on the reference. */
async function measureMode(ctx, sessions, cfg, mode) {
  const out = Object.fromEntries(sessions.map((s) => [s.label, {}]));
  const both = async (name, opts) => {
    for (const s of sessions) {
      const measure = () => phase(ctx, s, cfg, { ...opts, tag: `post-${mode}-${name}` });
      // --syscalls: the api's system calls per POST, for every system (the phase's other figures are void then).
      const counted = ctx.syscalls && name !== 'warmup' ? () => countSyscallsDuring([s.system.api], measure) : measure;
      // --alloc-profile: what each system's api allocates per POST, and where.
      const run = ctx.allocProfile && name !== 'warmup' ? () => allocationsDuring(s.system.api, counted) : counted;
      // --cpu-profile: V8 profiles of each system's api at each rate (<out>/profiles/<stamp>/);
      // a variant's files carry its label, or they would overwrite Herald's (both apis are `herald-api`).
      const file = `post-${mode}-${name}${s.label === s.kind ? '' : `-${s.label}`}`;
      const r = ctx.cpuProfile && name !== 'warmup' ? await profileDuring(ctx.profileDir, file, [s.system.api], run) : await run();
      out[s.label][name] = r;
      log(`  post_latency ${s.label} ${mode} ${name}: p50 ${r.latency.p50} p99 ${r.latency.p99} max ${r.latency.max} ms, ${Math.round(r.postsPerSecond)} POST/s, api ${round(r.apiCpuMsPerPost, 3)} ms CPU/POST (main thread ${round(r.apiMainThreadCpuMsPerPost, 3)})${[...r.flags, ...r.notes].map((f) => ` ⚠ ${f}`).join('')}`);
      if (r.allocations) log(`    ${s.label} api ${allocationLine(r.allocations, r.ok)}`);
      if (r.syscalls) log(`    ${s.label} api system calls: ${perOperation(Object.values(r.syscalls)[0], r.ok)}`);
    }
  };
  await both('warmup', { mode: 'open', rate: Math.max(...cfg.rates) / 2, durationMs: cfg.warmupMs, maxInFlight: 256 });
  await both('sequential', { mode: 'closed', concurrency: 1, count: cfg.sequential, durationMs: cfg.sequentialMaxMs });
  for (const rate of cfg.rates) await both(`open${rate}`, { mode: 'open', rate, durationMs: cfg.durationMs, maxInFlight: 256 });
  await both('closed', { mode: 'closed', concurrency: cfg.concurrency, durationMs: cfg.closedMs });
  for (const s of sessions) delete out[s.label].warmup;
  return out;
}

/** Herald alone, traced (bench/lib/trace-preload.mjs), at the top rate in the last mode. */
async function traceRun(ctx, cfg, mode) {
  const apiEnv = { BENCH_TRACE_DIST: distDir() };
  return withDeployment(ctx, 'herald', { gateways: 0, mode, apiEnv, apiExecArgv: ['--import', TRACE_PRELOAD] }, ({ system, db }) =>
    withClients(1, 'herald-trace', async ([client]) => {
      const session = { system, db, kind: 'herald', client };
      const rate = Math.max(...cfg.rates);
      const take = async () => (await fetch(`${system.api.url}/__bench/trace`, { signal: globalThis.AbortSignal.timeout(10_000) })).json();
      await phase(ctx, session, cfg, { mode: 'open', rate: rate / 2, durationMs: cfg.warmupMs, maxInFlight: 256, tag: 'trace-warmup' });
      await take(); // starts the window afresh
      const measured = await phase(ctx, session, cfg, { mode: 'open', rate, durationMs: cfg.durationMs, maxInFlight: 256, tag: 'trace' });
      const trace = await take();
      log(`  post_latency trace at ${rate}/s (${mode}): client p50 ${measured.latency.p50} p99 ${measured.latency.p99} ms; server steps p99 ${Object.entries(trace.perStep).map(([k, v]) => `${k} ${v.p99}`).join(', ')}; GC ${trace.gc.pauses} pauses max ${trace.gc.maxMs} ms`);
      return { rate, mode, client: measured, ...trace };
    }),
  );
}

/** Other Herald builds to compare (BENCH_POST_VARIANTS='label=dist,…'). */
const variants = () =>
  (process.env.BENCH_POST_VARIANTS ?? '')
    .split(',')
    .filter(Boolean)
    .map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)])
    .map(([label, spec]) => ({ label, dist: spec.split('|')[0], flags: spec.split('|')[1]?.split(/\s+/).filter(Boolean) ?? [] }));

/** Runs `fn(sessions)` with a deployment (and a load client) per system, all torn down afterwards. */
async function withSessions(ctx, specs, mode, fn, sessions = []) {
  if (!specs.length) return fn(sessions);
  const [spec, ...rest] = specs;
  return withDeployment(ctx, spec.kind, { gateways: 0, mode, dist: spec.dist, label: spec.label, apiExecArgv: spec.flags }, (d) =>
    withClients(1, `post-${spec.label}`, ([client]) => withSessions(ctx, rest, mode, fn, [...sessions, { ...d, client }])),
  );
}

export async function runPostLatency(ctx, cfg) {
  const results = {};
  const specs = [{ kind: 'herald', label: 'herald' }, ...variants().map((v) => ({ kind: 'herald', ...v })), { kind: 'reference', label: 'reference' }];
  await withSessions(ctx, specs, cfg.modes[0], async (sessions) => {
    for (const mode of cfg.modes) {
      await Promise.all(sessions.map((s) => s.useMode(mode)));
      results[mode] = await measureMode(ctx, sessions, cfg, mode);
    }
  });
  const trace = cfg.trace ? await traceRun(ctx, cfg, cfg.modes.at(-1)) : null;
  report(ctx, cfg, results);
  return { config: cfg, results, trace };
}

function report(ctx, cfg, results) {
  const scenario = 'publish path, 1 recipient per POST, no sockets';
  const phases = [['sequential', 'sequential, one at a time'], ...cfg.rates.map((r) => [`open${r}`, `open loop ${r}/s`])];
  for (const mode of cfg.modes) {
    const { herald: h, reference: r } = results[mode];
    const commit = `synchronous_commit=${mode === 'durable' ? 'on' : 'off'}`;
    for (const [name, what] of phases) {
      const key = name === 'sequential' ? 'seq' : name.slice(4);
      const stats = name === 'sequential' ? ['p50', 'p99'] : ['p50', 'p99', 'max'];
      for (const stat of stats) {
        ctx.figures.add({
          key: `post_latency.${stat}_ms.${key}.${mode}`,
          scenario,
          label: `POST round trip ${stat}, ${what}, ${commit} (achieved ${Math.round(h[name].postsPerSecond)} POST/s)`,
          value: h[name].latency[stat] ?? NaN,
          unit: 'ms',
          reference: { value: r[name].latency[stat] ?? NaN, label: 'reference server' },
          flags: h[name].flags,
          notes: h[name].notes,
        });
      }
    }
    const top = `open${Math.max(...cfg.rates)}`;
    ctx.figures.add({
      key: `post_latency.api_cpu_ms_per_post.${mode}`,
      scenario,
      label: `api process CPU per POST at ${top.slice(4)}/s, ${commit} (closed loop: ${round(h.closed.apiCpuMsPerPost, 3)} ms)`,
      value: h[top].apiCpuMsPerPost,
      unit: 'ms',
      reference: { value: r[top].apiCpuMsPerPost, label: 'reference server' },
      flags: h[top].flags.filter((f) => f.includes('saturated')),
    });
    ctx.figures.add({
      key: `post_latency.ingest_rows_per_s.${mode}`,
      scenario,
      label: `single-recipient rows persisted per second, ${cfg.concurrency} POSTs in flight, ${commit}`,
      value: h.closed.rowsPerSecond,
      unit: 'rows/s',
      reference: { value: r.closed.rowsPerSecond, label: 'reference server' },
      flags: h.closed.flags,
      notes: h.closed.notes,
    });
  }
  const tops = cfg.modes.map((m) => results[m].herald[`open${Math.max(...cfg.rates)}`]);
  log(`  post_latency worst p99 at the top rate: ${worst(tops.map((x) => x.latency.p99 ?? NaN), false)} ms`);
}
