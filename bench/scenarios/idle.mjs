// Idle sockets and idle cost. Sockets are added in steps (10k, 25k, 50k over
// the gateways); after each step we wait `settleMs`, force two full GCs in
// every gateway through its inspector, wait a moment and read VmRSS from
// /proc/<pid>/status. RSS per socket = (Σ RSS now − Σ RSS before any socket)
// / sockets. Then, with every socket open and heartbeats on, machine CPU is
// sampled from /proc/stat over `cpuWindowMs` (and each process's share).
import { connectUsers, withClients, withDeployment } from '../lib/deploy.mjs';
import { loadFlags } from '../lib/figures.mjs';
import { profileDuring } from '../lib/cpuprofile.mjs';
import { forceGc } from '../lib/inspector.mjs';
import { rssBytes, sampleCpu } from '../lib/procs.mjs';
import { contentionFlags, startContention } from '../lib/contention.mjs';
import { log, sleep } from '../lib/util.mjs';

/** GC every gateway, then Σ RSS and Σ V8 heap used, in bytes. */
async function gatewayMemory(gateways, pauseMs) {
  const heaps = await Promise.all(gateways.map((g) => forceGc(g.inspectPort).catch(() => ({ heapUsed: NaN }))));
  await sleep(pauseMs); // let the freed pages go back before reading RSS
  return {
    rss: gateways.reduce((a, g) => a + rssBytes(g.pid), 0),
    heapUsed: heaps.reduce((a, h) => a + h.heapUsed, 0),
    perGatewayRssMiB: gateways.map((g) => Math.round(rssBytes(g.pid) / 2 ** 20)),
  };
}

async function measure(ctx, kind, cfg) {
  const clientsNeeded = Math.max(1, Math.ceil(cfg.steps.at(-1) / ctx.profile.socketsPerClient));
  return withDeployment(ctx, kind, { gateways: cfg.gateways, inspect: true, heartbeatMs: cfg.heartbeatMs }, ({ system }) =>
    withClients(clientsNeeded, `idle-${kind}`, async (clients) => {
      await sleep(cfg.settleMs);
      const base = await gatewayMemory(system.gateways, Math.min(500, cfg.settleMs));
      const steps = [];
      let held = 0;
      for (const target of cfg.steps) {
        const { connected } = await connectUsers(ctx, system, clients, { count: target - held, offset: held, minShare: 0.9 });
        held += connected;
        await sleep(cfg.settleMs);
        const mem = await gatewayMemory(system.gateways, Math.min(500, cfg.settleMs));
        const open = (await Promise.all(clients.map((c) => c.call('stats')))).reduce((a, s) => a + s.open, 0);
        const step = {
          wanted: target,
          open,
          rssPerSocketKB: (mem.rss - base.rss) / open / 1000,
          heapPerSocketKB: (mem.heapUsed - base.heapUsed) / open / 1000,
          perGatewayRssMiB: mem.perGatewayRssMiB,
        };
        steps.push(step);
        log(`  ${kind}: ${open} sockets, ${step.rssPerSocketKB.toFixed(2)} KB RSS/socket (${step.heapPerSocketKB.toFixed(2)} KB heap), gateways ${mem.perGatewayRssMiB.join('/')} MiB`);
      }
      for (const c of clients) await c.call('reset', { tag: 'idle' });
      const procs = [...system.procs(), ...clients.map((c) => ({ name: c.name, pid: c.pid }))];
      const stopContention = startContention();
      const sample = () => sampleCpu(cfg.cpuWindowMs, procs);
      // --cpu-profile: what a gateway does while idle (one is enough: they are alike).
      const cpu = ctx.cpuProfile && kind === 'herald' ? await profileDuring(ctx.profileDir, 'idle', system.gateways.slice(0, 1), sample) : await sample();
      const contention = await stopContention();
      const loads = (await Promise.all(clients.map((c) => c.call('stats')))).map((s) => s.load);
      // On a shared machine, other work is not Herald's idle cost: count ours + Postgres/Redis only.
      const idlePct = contention.oursPct + contention.sharedPct;
      log(`  ${kind}: CPU ${idlePct.toFixed(1)} % of the machine (all processes ${cpu.machinePct.toFixed(1)} %, other work ${contention.foreignPct} %) over ${cfg.cpuWindowMs / 1000} s, ${held} idle sockets, heartbeat ${cfg.heartbeatMs} ms`);
      return { baseRssMiB: base.rss / 2 ** 20, steps, held, cpu, contention, idlePct, flags: [...loadFlags(loads), ...contentionFlags(contention, 25)] };
    }),
  );
}

export async function runIdle(ctx, cfg) {
  log(`idle: steps ${cfg.steps.join('/')} over ${cfg.gateways} gateways, heartbeat ${cfg.heartbeatMs} ms`);
  const herald = await measure(ctx, 'herald', cfg);
  const reference = await measure(ctx, 'reference', cfg);
  const scenario = `idle sockets over ${cfg.gateways} gateways`;
  herald.steps.forEach((s, i) => {
    ctx.figures.add({
      key: `idle.rss_per_socket_kb.${i + 1}`,
      scenario,
      label: `gateway RSS per socket after forced GC at ${s.open} sockets (V8 heap ${s.heapPerSocketKB.toFixed(2)} KB of it)`,
      value: s.rssPerSocketKB,
      unit: 'KB',
      reference: { value: reference.steps[i]?.rssPerSocketKB ?? NaN, label: 'reference server' },
      sockets: s.open,
      flags: [],
    });
  });
  ctx.figures.add({
    key: 'idle.sockets_held',
    scenario,
    label: 'sockets held open at the last step',
    value: herald.held,
    unit: 'sockets',
    wanted: cfg.steps.at(-1),
    reference: { value: reference.held, label: 'reference server' },
    flags: [],
  });
  const perProc = Object.entries(herald.cpu.perProcessCorePct)
    .map(([n, v]) => `${n} ${v.toFixed(1)} %`)
    .join(', ');
  ctx.figures.add({
    key: 'idle.machine_cpu_pct',
    scenario,
    label: `machine CPU (all ${ctx.machine.nproc} cores; bench processes, Postgres and Redis, not other work) with ${herald.held} idle sockets, heartbeat ${cfg.heartbeatMs / 1000} s, over ${cfg.cpuWindowMs / 1000} s`,
    value: herald.idlePct,
    unit: '%',
    reference: { value: reference.idlePct, label: 'reference server' },
    notes: [`per process (% of one core): ${perProc}`, `all processes on the machine: ${herald.cpu.machinePct.toFixed(1)} % (other work ${herald.contention.foreignPct} %)`],
    flags: herald.flags,
  });
  return { config: cfg, herald, reference };
}
