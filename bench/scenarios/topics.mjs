// Topics: one topic followed by N sockets spread over the gateways; events
// are published to it at fixed rates (open loop, one POST per event) and
// every socket must get each one. A topic event is one row and one PUBLISH
// however many sockets follow it, so what this measures is the gateways'
// fan-out: deliveries per second (from the first send to the last arrival)
// and publish → socket latency. Measured for Herald and the reference.
import { awaitDeliveries, resetAll } from '../lib/deploy.mjs';
import { contentionFlags, startContention } from '../lib/contention.mjs';
import { loadFlags, requestNotes, worst } from '../lib/figures.mjs';
import { merge, summarize } from '../lib/hist.mjs';
import { profileDuring } from '../lib/cpuprofile.mjs';
import { cpuMeter } from '../lib/procs.mjs';
import { BENCH_TOPIC } from '../lib/tokens.mjs';
import { log, nowMs } from '../lib/util.mjs';

/** The wait for the last frames ends once nothing arrived for this long; frames still coming then are not loss. */
const IDLE_MS = 5000;

/** Subscribes `sockets` of the session's sockets (first ones of each client) to the bench topic. */
async function subscribeAll(session, sockets) {
  const per = Math.ceil(sockets / session.sockets.length);
  const results = await Promise.all(session.sockets.map((c) => c.call('subscribeTopic', { topic: BENCH_TOPIC, count: per }, 180_000)));
  const subscribed = results.reduce((a, r) => a + r.subscribed, 0);
  log(`  ${session.kind}: ${subscribed} sockets follow the topic (${(Math.max(...results.map((r) => r.ms)) / 1000).toFixed(1)} s)`);
  if (subscribed < sockets * 0.99) throw new Error(`only ${subscribed} of ${sockets} sockets subscribed`);
  return subscribed;
}

/** One phase: `rate` events per second for `durationMs`, then wait until every follower has them all. */
async function phase(ctx, session, subscribed, { tag, rate, durationMs }) {
  const { system, sockets } = session;
  const publisher = session.publishers[0];
  await resetAll(sockets, tag);
  const stopContention = startContention();
  const stopCpu = cpuMeter(system.gateways);
  const pub = await publisher.call(
    'publish',
    { apiUrl: system.api.url, token: ctx.serviceToken, tag, path: `/v1/topics/${BENCH_TOPIC}/events`, mode: 'open', rate, durationMs, maxInFlight: 64, users: [], localAddress: publisher.localAddress },
    durationMs + 60_000,
  );
  const expected = pub.ok * subscribed;
  // The gateways may fall behind the offered rate: give them time to drain, stop once nothing arrives for IDLE_MS.
  const s = await awaitDeliveries(sockets, expected, { timeoutMs: 120_000, idleMs: IDLE_MS });
  // Frames still arriving when the wait timed out are late, not lost; a wait that went quiet short of `expected` lost some.
  const quiet = nowMs() - s.lastArrival >= IDLE_MS;
  const missing = Math.max(0, expected - s.received);
  const cpu = stopCpu();
  const contention = await stopContention();
  const seconds = (s.lastArrival - pub.t0) / 1000;
  return {
    tag,
    rate,
    events: pub.ok,
    expected,
    received: s.received,
    lost: quiet ? missing : 0,
    unfinished: quiet ? 0 : missing,
    dups: s.dups,
    gaps: s.gaps,
    seconds,
    offeredDeliveriesPerSecond: rate * subscribed,
    deliveriesPerSecond: s.received / seconds,
    latency: s.latency,
    postLatency: summarize(merge([pub.postLatency])),
    gatewayCpuUsPerDelivery: (cpu.total * 1e6) / s.received,
    contention,
    flags: [...loadFlags([...s.clientLoad, pub.load], s.latency.p99 ?? 0), ...contentionFlags(contention)],
    notes: [...requestNotes(pub), ...(quiet || !missing ? [] : [`${missing} frames still on their way when the wait ended (${Math.round(seconds)} s): late, not lost`])],
  };
}

/** Subscribes the sockets once, then a warm-up (unless `warmupMs` is 0) and each rate of `cfg.phases`. */
export async function measureTopics(ctx, session, cfg, mode) {
  const { kind, system } = session;
  const subscribed = await subscribeAll(session, cfg.sockets);
  const out = { mode, subscribed, phases: [] };
  if (cfg.warmupMs) await phase(ctx, session, subscribed, { tag: `topics-${kind}-warm`, rate: cfg.phases[0].rate, durationMs: cfg.warmupMs });
  for (const { rate, durationMs } of cfg.phases) {
    const run = () => phase(ctx, session, subscribed, { tag: `topics-${kind}-${rate}`, rate, durationMs });
    const res = ctx.cpuProfile && kind === 'herald' ? await profileDuring(ctx.profileDir, `topics-${rate}`, [system.api, ...system.gateways], run) : await run();
    out.phases.push(res);
    log(
      `  topics ${kind} ${rate}/s: ${res.received}/${res.expected} in ${res.seconds.toFixed(2)} s = ${Math.round(res.deliveriesPerSecond)} deliveries/s ` +
        `(offered ${res.offeredDeliveriesPerSecond}/s), p50 ${res.latency.p50} ms, p99 ${res.latency.p99} ms${res.flags.map((f) => ` ⚠ ${f}`).join('')}`,
    );
  }
  return out;
}

export function reportTopics(ctx, cfg, heraldByMode, referenceByMode) {
  const mode = cfg.modes.find((m) => heraldByMode[m]);
  if (!mode) return;
  const herald = heraldByMode[mode];
  const reference = referenceByMode[mode] ?? { phases: [] };
  const scenario = `one topic followed by ${cfg.sockets} sockets over ${cfg.gateways} gateways`;
  for (const res of herald.phases) {
    const ref = reference.phases.find((p) => p.rate === res.rate);
    const flags = res.flags;
    ctx.figures.add({
      key: `topics.deliveries_per_s.${res.rate}`,
      scenario,
      label: `deliveries per second at ${res.rate} events/s (${res.offeredDeliveriesPerSecond.toLocaleString('en-US')}/s offered), first send → last arrival`,
      value: res.deliveriesPerSecond,
      unit: 'deliveries/s',
      reference: ref ? { value: ref.deliveriesPerSecond, label: 'reference server' } : null,
      lost: res.lost,
      flags,
      notes: res.notes,
    });
    for (const p of ['p50', 'p99']) {
      ctx.figures.add({
        key: `topics.${p}_ms.${res.rate}`,
        scenario,
        label: `publish → socket ${p} at ${res.rate} events/s`,
        value: res.latency[p] ?? NaN,
        unit: 'ms',
        reference: ref ? { value: ref.latency[p] ?? NaN, label: 'reference server' } : null,
        flags,
      });
    }
    ctx.figures.add({
      key: `topics.gateway_cpu_us_per_delivery.${res.rate}`,
      scenario,
      label: `CPU of all gateways per delivered frame at ${res.rate} events/s`,
      value: res.gatewayCpuUsPerDelivery,
      unit: 'µs',
      reference: ref ? { value: ref.gatewayCpuUsPerDelivery, label: 'reference server' } : null,
      flags: [],
    });
  }
  ctx.figures.add({
    key: 'topics.deliveries_per_s',
    scenario,
    label: 'best deliveries per second of the rates above',
    value: Math.max(...herald.phases.map((p) => p.deliveriesPerSecond)),
    unit: 'deliveries/s',
    reference: reference.phases.length ? { value: Math.max(...reference.phases.map((p) => p.deliveriesPerSecond)), label: 'reference server' } : null,
    flags: herald.phases.flatMap((p) => p.flags),
  });
  ctx.figures.add({
    key: 'topics.lost',
    scenario,
    label: 'frames missing (nothing more arrived), duplicated or skipped on any socket (all rates)',
    value: herald.phases.reduce((a, p) => a + p.lost + p.dups + p.gaps, 0),
    unit: 'frames',
    flags: [],
    notes: herald.phases.flatMap((p) => p.notes),
  });
  ctx.figures.add({
    key: 'topics.p99_ms',
    scenario,
    label: 'publish → socket p99, worst of the rates above',
    value: worst(herald.phases.map((p) => p.latency.p99 ?? NaN), false),
    unit: 'ms',
    reference: reference.phases.length ? { value: worst(reference.phases.map((p) => p.latency.p99 ?? NaN), false), label: 'reference server' } : null,
    flags: herald.phases.flatMap((p) => p.flags),
  });
}
