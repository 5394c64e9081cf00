// Ingestion: notifications persisted per second. Closed loop (`concurrency`
// requests outstanding, each sent when the previous answer arrives) for the
// throughput, counted in Postgres afterwards; for single-recipient POSTs also
// an open-loop phase at the target rate for POST latency under that load.
// Recipients are drawn from a pool of users who are not online, so this is
// the api, Redis PUBLISH and Postgres, not the gateways.
import { contentionFlags, startContention } from '../lib/contention.mjs';
import { loadFlags, requestNotes, worst } from '../lib/figures.mjs';
import { summarize, merge } from '../lib/hist.mjs';
import { profileDuring } from '../lib/cpuprofile.mjs';
import { log } from '../lib/util.mjs';
import { cpuMeter } from '../lib/procs.mjs';

const TABLE = { herald: 'notifications', reference: 'ref_notifications' };

async function phase(ctx, session, opts) {
  const { system, db, kind } = session;
  const publisher = session.publishers[0];
  const [{ n: before }] = await db.query(`SELECT count(*)::int AS n FROM ${TABLE[kind]}`);
  const stopContention = startContention();
  const stopCpu = cpuMeter([system.api]);
  const res = await publisher.call(
    'publish',
    { apiUrl: system.api.url, token: ctx.serviceToken, users: { prefix: 'offline', count: opts.userPool }, recipientsPerPost: opts.recipients ?? 1, localAddress: publisher.localAddress, ...opts },
    opts.durationMs + 60_000,
  );
  const cpu = stopCpu();
  const contention = await stopContention();
  const [{ n: after }] = await db.query(`SELECT count(*)::int AS n FROM ${TABLE[kind]}`);
  const persisted = after - before;
  return {
    tag: opts.tag,
    posts: res.sent,
    ok: res.ok,
    rowsConfirmed: res.deliveries,
    rowsPersisted: persisted,
    rowsPerSecond: persisted / (res.elapsedMs / 1000),
    postsPerSecond: res.ok / (res.elapsedMs / 1000),
    postLatency: summarize(merge([res.postLatency])),
    apiCpuMsPerPost: (cpu.total * 1000) / res.ok,
    apiCpuUsPerRow: (cpu.total * 1e6) / persisted,
    errors: res.errors,
    skipped: res.skipped,
    clientLoad: [res.load],
    contention,
    flags: [...loadFlags([res.load]), ...contentionFlags(contention)],
    notes: requestNotes(res),
  };
}

/** Warm-up, closed loop, and (if `targetRate`) the open loop at that rate, in the current mode. */
export async function measureIngest(ctx, session, name, cfg, mode) {
  const { kind } = session;
  const closed = { userPool: cfg.userPool, recipients: cfg.recipients, concurrency: cfg.concurrency, mode: 'closed', tag: `${name}-${mode}` };
  await phase(ctx, session, { ...closed, durationMs: cfg.warmupMs });
  const run = () => phase(ctx, session, { ...closed, durationMs: cfg.durationMs });
  const res = ctx.cpuProfile && kind === 'herald' ? await profileDuring(ctx.profileDir, `${name}-${mode}`, [session.system.api], run) : await run();
  const warn = [...res.flags, ...res.notes].map((f) => ` ⚠ ${f}`).join('');
  log(`  ${name} ${kind} ${mode}: ${Math.round(res.rowsPerSecond)} rows/s (${Math.round(res.postsPerSecond)} POST/s), POST p50 ${res.postLatency.p50} p99 ${res.postLatency.p99} ms${warn}`);
  const out = { closedLoop: res };
  if (cfg.targetRate) {
    const open = await phase(ctx, session, { userPool: cfg.userPool, mode: 'open', rate: cfg.targetRate, durationMs: cfg.durationMs, maxInFlight: 256, tag: `${name}-${mode}-open` });
    log(`  ${name} ${kind} ${mode}: open loop at ${cfg.targetRate}/s → ${Math.round(open.postsPerSecond)}/s, POST p50 ${open.postLatency.p50} p99 ${open.postLatency.p99} ms`);
    out.atTargetRate = open;
  }
  return out;
}

export function reportIngest(ctx, name, cfg, herald, reference) {
  const plain = ctx.baselines?.insert;
  const scenario = name === 'ingest' ? 'ingestion, 1 recipient per POST' : `ingestion batched, ${cfg.recipients} recipients per POST`;
  for (const mode of cfg.modes) {
    const h = herald[mode]?.closedLoop;
    const r = reference[mode]?.closedLoop;
    if (!h) continue;
    const plainRate = name === 'ingest' ? plain?.[mode]?.singleRowPerSecond : plain?.[mode]?.multiRowPerSecond;
    ctx.figures.add({
      key: `${name}.rows_per_s.${mode}`,
      scenario,
      label: `notifications persisted per second, synchronous_commit=${mode === 'durable' ? 'on' : 'off'}, ${cfg.concurrency} POSTs in flight (POST p99 ${h.postLatency.p99} ms)`,
      value: h.rowsPerSecond,
      unit: 'rows/s',
      reference: { value: r?.rowsPerSecond ?? NaN, label: `reference server (POST p99 ${r?.postLatency.p99} ms)` },
      secondary: plainRate ? { value: plainRate, label: name === 'ingest' ? 'plain single-row INSERT' : 'plain 1,000-row INSERT' } : null,
      postP99Ms: h.postLatency.p99,
      flags: h.flags,
      notes: h.notes,
    });
    const [cpuKey, cpuField, cpuUnit] = name === 'ingest' ? ['api_cpu_ms_per_post', 'apiCpuMsPerPost', 'ms'] : ['api_cpu_us_per_row', 'apiCpuUsPerRow', 'µs'];
    ctx.figures.add({
      key: `${name}.${cpuKey}.${mode}`,
      scenario,
      label: `api process CPU per ${name === 'ingest' ? 'POST' : 'row'} during the closed loop (cost per operation: barely moved by other work on the machine)`,
      value: h[cpuField],
      unit: cpuUnit,
      reference: { value: r?.[cpuField] ?? NaN, label: 'reference server' },
      flags: h.flags.filter((f) => f.includes('saturated')),
    });
  }
  if (name !== 'ingest' || !cfg.targetRate) return;
  const modes = cfg.modes.filter((m) => herald[m]?.atTargetRate);
  const runs = modes.map((m) => herald[m].atTargetRate);
  const refRuns = modes.map((m) => reference[m]?.atTargetRate).filter(Boolean);
  ctx.figures.add({
    key: 'ingest.post_p99_ms_at_target',
    scenario,
    label: `POST p99 in an open loop offered ${cfg.targetRate}/s (worst of ${modes.join(', ')}; achieved ${runs.map((x) => Math.round(x.postsPerSecond)).join(', ')} POST/s)`,
    value: worst(runs.map((x) => x.postLatency.p99 ?? NaN), false),
    unit: 'ms',
    reference: { value: worst(refRuns.map((x) => x.postLatency.p99 ?? NaN), false), label: 'reference server' },
    achievedRate: Math.min(...runs.map((x) => x.postsPerSecond)),
    flags: runs.flatMap((x) => x.flags),
    notes: runs.flatMap((x) => x.notes),
  });
}
