// End to end: N users online (one socket each, spread over the gateways),
// an open-loop publisher POSTs one notification per request to a random
// online user at a fixed rate; latency is from each request's scheduled send
// time to the frame's arrival. Loss = rows the api confirmed − frames that
// arrived. Measured for Herald and the reference, per synchronous_commit mode.
import { resetAll, awaitDeliveries } from '../lib/deploy.mjs';
import { contentionFlags, startContention } from '../lib/contention.mjs';
import { loadFlags, requestNotes, worst } from '../lib/figures.mjs';
import { merge, summarize } from '../lib/hist.mjs';
import { profileDuring } from '../lib/cpuprofile.mjs';
import { log } from '../lib/util.mjs';
import { cpuMeter } from '../lib/procs.mjs';

/** One publishing phase at `rate` for `durationMs`, then wait for the frames. */
export async function openLoopPhase(ctx, session, { tag, rate, durationMs, maxInFlight, publishers = session.publishers.length }) {
  const { system, sockets, users } = session;
  const pubClients = session.publishers.slice(0, publishers);
  await resetAll(sockets, tag);
  const stopContention = startContention();
  const stopCpu = cpuMeter(system.procs());
  const pubs = await Promise.all(
    pubClients.map((p) =>
      p.call(
        'publish',
        { apiUrl: system.api.url, token: ctx.serviceToken, tag, mode: 'open', rate: rate / pubClients.length, durationMs, maxInFlight: Math.ceil(maxInFlight / pubClients.length), users, localAddress: p.localAddress },
        durationMs + 60_000,
      ),
    ),
  );
  const deliveries = pubs.reduce((a, p) => a + p.deliveries, 0);
  const s = await awaitDeliveries(sockets, deliveries, { timeoutMs: 20_000 });
  const cpu = stopCpu();
  const contention = await stopContention();
  const errors = {};
  for (const p of pubs) for (const [k, v] of Object.entries(p.errors)) errors[k] = (errors[k] ?? 0) + v;
  const skipped = pubs.reduce((a, p) => a + p.skipped, 0);
  const ok = pubs.reduce((a, p) => a + p.ok, 0);
  const loads = [...s.clientLoad, ...pubs.map((p) => p.load)];
  return {
    tag,
    offeredRate: rate,
    achievedRate: ok / (durationMs / 1000),
    posts: pubs.reduce((a, p) => a + p.sent, 0),
    ok,
    deliveries,
    received: s.received,
    lost: Math.max(0, deliveries - s.received),
    dups: s.dups,
    gaps: s.gaps,
    closes: s.closes,
    latency: s.latency,
    postLatency: summarize(merge(pubs.map((p) => p.postLatency))),
    cpu,
    cpuMsPerNotification: (cpu.total * 1000) / s.received,
    errors,
    skipped,
    clientLoad: loads,
    contention,
    flags: [...loadFlags(loads, s.latency.p99 ?? 0), ...contentionFlags(contention)],
    notes: requestNotes({ skipped, errors }),
  };
}

/** Warm-up, then `runs` measured phases (1 for the reference) in the current mode. */
export async function measureE2e(ctx, session, name, cfg, mode) {
  const { kind } = session;
  const phaseCfg = { rate: cfg.rate, maxInFlight: cfg.maxInFlight, publishers: cfg.publishers };
  await openLoopPhase(ctx, session, { ...phaseCfg, tag: `${name}-${kind}-${mode}-warm`, durationMs: cfg.warmupMs });
  const out = [];
  const runs = kind === 'herald' ? cfg.runs : 1;
  for (let r = 0; r < runs; r++) {
    const phase = () => openLoopPhase(ctx, session, { ...phaseCfg, tag: `${name}-${kind}-${mode}-${r}`, durationMs: cfg.durationMs });
    const profile = ctx.cpuProfile && kind === 'herald' && r === 0;
    const res = profile ? await profileDuring(ctx.profileDir, `${name}-${mode}`, [session.system.api, session.system.gateways[0]], phase) : await phase();
    const warn = [...res.flags, ...res.notes].map((f) => ` ⚠ ${f}`).join('');
    log(`  ${name} ${kind} ${mode} run ${r + 1}: p50 ${res.latency.p50} ms p99 ${res.latency.p99} ms, ${res.received}/${res.deliveries} delivered, ${Math.round(res.achievedRate)}/s${warn}`);
    out.push(res);
  }
  return out;
}

/** Figures from { herald: { mode: runs }, reference: { mode: runs } }. */
export function reportE2e(ctx, name, cfg, herald, reference) {
  const scenario = `${name === 'e2e' ? 'end to end' : 'end to end, heavy'}: ${cfg.rate}/s to ${cfg.sockets} online users`;
  let lost = 0;
  let refLost = 0;
  for (const mode of cfg.modes) {
    const runs = herald[mode];
    const ref = reference[mode]?.[0];
    if (!runs?.length) continue;
    const refNote = ref?.flags.length ? [`reference run flagged: ${ref.flags.join('; ')}`] : [];
    for (const p of ['p50', 'p99']) {
      ctx.figures.add({
        key: `${name}.${p}_ms.${mode}`,
        scenario,
        label: `POST → socket ${p}, synchronous_commit=${mode === 'durable' ? 'on' : 'off'}`,
        value: worst(runs.map((r) => r.latency[p] ?? NaN), false),
        unit: 'ms',
        reference: { value: ref?.latency[p] ?? NaN, label: 'reference server' },
        runs: runs.map((r) => r.latency[p]),
        flags: runs.flatMap((r) => r.flags),
        notes: [...runs.flatMap((r) => r.notes), ...refNote],
        achievedRate: Math.min(...runs.map((r) => r.achievedRate)),
      });
    }
    lost += runs.reduce((a, r) => a + r.lost + r.dups + r.gaps, 0);
    refLost += ref ? ref.lost + ref.dups + ref.gaps : 0;
  }
  const mode = cfg.modes.includes('async') ? 'async' : cfg.modes[0];
  if (herald[mode]?.length) {
    ctx.figures.add({
      key: `${name}.cpu_ms_per_notification`,
      scenario,
      label: `CPU of the api and all gateways per delivered notification (synchronous_commit=${mode === 'durable' ? 'on' : 'off'}, worst run)`,
      value: worst(herald[mode].map((r) => r.cpuMsPerNotification), false),
      unit: 'ms',
      reference: { value: reference[mode]?.[0]?.cpuMsPerNotification ?? NaN, label: 'reference server' },
      flags: herald[mode].flatMap((r) => r.flags.filter((f) => f.includes('saturated'))),
    });
  }
  ctx.figures.add({
    key: `${name}.lost`,
    scenario,
    label: 'notifications lost, duplicated or out of order (all runs, all modes)',
    value: lost,
    unit: 'frames',
    reference: { value: refLost, label: 'reference server' },
    flags: [],
  });
}
