// Fan-out: N users online; one round sends notifications to all of them at
// once and measures deliveries per second from the send time to the last
// frame's arrival. A POST carries at most 1,000 recipients, so
// "one POST to 10k users" is 10 POSTs of 1,000 sent together; a broadcast
// (POST /v1/broadcasts, one request, every socket) is measured beside it.
import { resetAll, awaitDeliveries } from '../lib/deploy.mjs';
import { contentionFlags, startContention } from '../lib/contention.mjs';
import { loadFlags, worst } from '../lib/figures.mjs';
import { merge, summarize } from '../lib/hist.mjs';
import { profileDuring } from '../lib/cpuprofile.mjs';
import { split } from '../lib/clients.mjs';
import { log, median } from '../lib/util.mjs';
import { cpuMeter } from '../lib/procs.mjs';

async function round(ctx, session, users, { tag, path }) {
  const { system, sockets } = session;
  const publisher = session.publishers[0];
  await resetAll(sockets, tag);
  const stopContention = startContention();
  const stopCpu = cpuMeter(system.gateways);
  const batches = split(users, Math.ceil(users.length / 1000));
  const pub = await publisher.call(
    'publish',
    { apiUrl: system.api.url, token: ctx.serviceToken, tag, path, mode: 'open', rate: Infinity, count: path === '/v1/broadcasts' ? 1 : batches.length, maxInFlight: batches.length, batches, localAddress: publisher.localAddress },
    60_000,
  );
  // A broadcast reaches every socket of the session, not only the fan-out's users.
  const expected = path === '/v1/broadcasts' ? session.users.length : pub.deliveries;
  const s = await awaitDeliveries(sockets, expected, { timeoutMs: 30_000 });
  const cpu = stopCpu();
  const contention = await stopContention();
  const seconds = (s.lastArrival - pub.t0) / 1000;
  return {
    tag,
    expected,
    received: s.received,
    lost: Math.max(0, expected - s.received),
    seconds,
    deliveriesPerSecond: s.received / seconds,
    latency: s.latency,
    postLatency: summarize(merge([pub.postLatency])),
    gatewayCpuUsPerDelivery: (cpu.total * 1e6) / s.received,
    errors: pub.errors,
    contention,
    flags: [...loadFlags([...s.clientLoad, pub.load], seconds * 1000), ...contentionFlags(contention)],
  };
}

/** A warm-up round, then `rounds` × (notifications to everyone, one broadcast). */
export async function measureFanout(ctx, session, cfg, mode) {
  const { kind, system } = session;
  const out = { mode, notifications: [], broadcast: [] };
  const users = session.users.slice(0, cfg.sockets); // spread over the gateways: user i is on gateway i mod G
  await round(ctx, session, users, { tag: `fanout-${kind}-warm`, path: '/v1/notifications' });
  for (let r = 0; r < cfg.rounds; r++) {
    const run = () => round(ctx, session, users, { tag: `fanout-${kind}-${r}`, path: '/v1/notifications' });
    const profile = ctx.cpuProfile && kind === 'herald' && r === 0;
    const res = profile ? await profileDuring(ctx.profileDir, 'fanout', [system.api, ...system.gateways], run) : await run();
    out.notifications.push(res);
    log(`  fanout ${kind} round ${r + 1}: ${res.received}/${res.expected} in ${res.seconds.toFixed(3)} s = ${Math.round(res.deliveriesPerSecond)}/s, p99 ${res.latency.p99} ms${res.flags.map((f) => ` ⚠ ${f}`).join('')}`);
    const b = await round(ctx, session, users, { tag: `fanout-${kind}-b${r}`, path: '/v1/broadcasts' });
    out.broadcast.push(b);
    log(`  fanout ${kind} broadcast ${r + 1}: ${b.received}/${b.expected} in ${b.seconds.toFixed(3)} s = ${Math.round(b.deliveriesPerSecond)}/s`);
  }
  return out;
}

export function reportFanout(ctx, cfg, heraldByMode, referenceByMode) {
  const mode = cfg.modes.find((m) => heraldByMode[m]);
  if (!mode) return;
  const herald = heraldByMode[mode];
  const reference = referenceByMode[mode] ?? { notifications: [], broadcast: [] };
  const rate = (rs) => median(rs.map((r) => r.deliveriesPerSecond));
  const scenario = `fan-out to ${cfg.sockets} online users (synchronous_commit=${mode === 'durable' ? 'on' : 'off'})`;
  ctx.figures.add({
    key: 'fanout.deliveries_per_s',
    scenario,
    label: `deliveries per second, ${Math.ceil(cfg.sockets / 1000)} POSTs × 1,000 recipients sent together (median of ${cfg.rounds})`,
    value: rate(herald.notifications),
    unit: 'deliveries/s',
    reference: { value: rate(reference.notifications), label: 'reference server' },
    secondary: ctx.baselines?.redis ? { value: ctx.baselines.redis.publishPerSecond, label: 'redis-benchmark PUBLISH/s (300 B, no subscribers)' } : null,
    runs: herald.notifications.map((r) => r.deliveriesPerSecond),
    lost: herald.notifications.reduce((a, r) => a + r.lost, 0),
    flags: herald.notifications.flatMap((r) => r.flags),
  });
  ctx.figures.add({
    key: 'fanout.p99_ms',
    scenario,
    label: 'send → last-percentile arrival (p99) within a fan-out round (worst round)',
    value: worst(herald.notifications.map((r) => r.latency.p99 ?? NaN), false),
    unit: 'ms',
    reference: { value: worst(reference.notifications.map((r) => r.latency.p99 ?? NaN), false), label: 'reference server' },
    flags: herald.notifications.flatMap((r) => r.flags),
  });
  ctx.figures.add({
    key: 'fanout.gateway_cpu_us_per_delivery',
    scenario,
    label: 'CPU of all gateways per delivered frame in the notification rounds (median)',
    value: median(herald.notifications.map((r) => r.gatewayCpuUsPerDelivery)),
    unit: 'µs',
    reference: { value: median(reference.notifications.map((r) => r.gatewayCpuUsPerDelivery)), label: 'reference server' },
    flags: [],
  });
  ctx.figures.add({
    key: 'fanout.broadcast_deliveries_per_s',
    scenario,
    label: `deliveries per second of one POST /v1/broadcasts to every socket (${herald.broadcast[0]?.expected} sockets, median of ${cfg.rounds})`,
    value: rate(herald.broadcast),
    unit: 'deliveries/s',
    reference: { value: rate(reference.broadcast), label: 'reference server' },
    runs: herald.broadcast.map((r) => r.deliveriesPerSecond),
    lost: herald.broadcast.reduce((a, r) => a + r.lost, 0),
    flags: herald.broadcast.flatMap((r) => r.flags),
  });
}
