// Reconnect storm: N sockets on one gateway, a publisher sending to those
// users throughout, then SIGKILL the gateway. Every client reconnects the
// way the SDK does (full-jitter backoff from 500 ms, cap 30 s) to another
// gateway with `?since=<last seq>`. Measured: time from the kill until every
// socket has its `synced` frame, and whether each user's seqs arrived
// complete (against the seqs the api confirmed), without duplicates.
import { connectUsers, resetAll, socketStats, withClients, withDeployment } from '../lib/deploy.mjs';
import { loadFlags, requestNotes } from '../lib/figures.mjs';
import { contentionFlags, startContention } from '../lib/contention.mjs';
import { log, nowMs, sleep } from '../lib/util.mjs';
import { cpuMeter } from '../lib/procs.mjs';
import { startCpuProfile } from '../lib/inspector.mjs';
import { summarizeProfile } from '../lib/cpuprofile.mjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const BACKOFF = { baseMs: 500, capMs: 30_000 };

async function verifyAll(sockets, expected, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const parts = await Promise.all(sockets.map((c) => c.call('verify', { expected })));
    const v = parts.reduce(
      (a, p) => ({ checked: a.checked + p.checked, missing: a.missing + p.missing, usersBehind: a.usersBehind + p.usersBehind, notConnected: a.notConnected + p.notConnected }),
      { checked: 0, missing: 0, usersBehind: 0, notConnected: 0 },
    );
    if (v.missing === 0 || Date.now() > end) return v;
    await sleep(250);
  }
}

async function measure(ctx, kind, cfg) {
  const socketClients = Math.max(1, Math.ceil(cfg.sockets / ctx.profile.socketsPerClient));
  return withDeployment(ctx, kind, { gateways: cfg.gateways }, ({ system }) =>
    withClients(socketClients + 1, `reconnect-${kind}`, async (clients) => {
      const sockets = clients.slice(0, socketClients);
      const publisher = clients[socketClients];
      const { users } = await connectUsers(ctx, system, sockets, { count: cfg.sockets, gatewayIndex: 0, reconnect: BACKOFF });
      const tag = `reconnect-${kind}`;
      await resetAll(sockets, tag);
      const durationMs = cfg.beforeMs + cfg.afterMs;
      const published = publisher.call(
        'publish',
        { apiUrl: system.api.url, token: ctx.serviceToken, tag, mode: 'open', rate: cfg.rate, durationMs, maxInFlight: 128, users, collectSeqs: true, localAddress: publisher.localAddress },
        durationMs + 60_000,
      );
      await sleep(cfg.beforeMs);
      // With --cpu-profile: where the surviving gateways spend the storm.
      const survivors = system.gateways.slice(1);
      const profiling = ctx.cpuProfile && kind === 'herald' ? await Promise.all(survivors.map((g) => startCpuProfile(g.inspectPort))) : [];
      const stopContention = startContention();
      const stopCpu = cpuMeter(survivors);
      const killedAt = nowMs();
      system.gateways[0].kill('SIGKILL');
      const marks = {};
      let s;
      for (const end = Date.now() + cfg.timeoutMs; Date.now() < end; await sleep(250)) {
        s = await socketStats(sockets);
        for (const share of [0.5, 0.99, 1]) if (!marks[share] && s.synced >= Math.ceil(users.length * share)) marks[share] = (nowMs() - killedAt) / 1000;
        if (marks[1]) break;
      }
      const cpu = stopCpu();
      const contention = await stopContention();
      const cpuProfiles = await saveProfiles(ctx, profiling, survivors);
      const pub = await published;
      const v = await verifyAll(sockets, pub.maxSeq, 15_000);
      s = await socketStats(sockets);
      const res = {
        sockets: users.length,
        resumed: s.synced,
        gatewayCpuMsPerResume: (cpu.total * 1000) / Math.max(1, s.synced),
        secondsToResumed: marks[1] ? (s.lastSyncedAt - killedAt) / 1000 : NaN,
        secondsTo50pct: marks[0.5] ?? NaN,
        secondsTo99pct: marks[0.99] ?? NaN,
        reconnectAttemptsFailed: s.connectErrors,
        closes: s.closes,
        published: pub.ok,
        missing: v.missing,
        usersBehind: v.usersBehind,
        usersChecked: v.checked,
        timeoutS: cfg.timeoutMs / 1000,
        dups: s.dups,
        gaps: s.gaps,
        resyncs: s.resyncs,
        lost: v.missing + s.gaps,
        contention,
        cpuProfiles,
        flags: [...loadFlags([...s.clientLoad, pub.load], marks[1] ? (s.lastSyncedAt - killedAt) : cfg.timeoutMs), ...contentionFlags(contention)],
        notes: requestNotes(pub),
      };
      log(`  ${kind}: ${res.resumed}/${res.sockets} resumed in ${res.secondsToResumed?.toFixed?.(2)} s (50 % ${res.secondsTo50pct} s, 99 % ${res.secondsTo99pct} s), lost ${res.lost}, dups ${res.dups}`);
      return res;
    }),
  );
}

async function saveProfiles(ctx, stops, procs) {
  const out = {};
  for (const [i, stop] of stops.entries()) {
    const profile = await stop().catch(() => null);
    if (!profile) continue;
    mkdirSync(ctx.profileDir, { recursive: true });
    const file = path.join(ctx.profileDir, `reconnect-${procs[i].name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    out[procs[i].name] = { file: path.relative(process.cwd(), file), ...summarizeProfile(profile) };
  }
  return out;
}

export async function runReconnect(ctx, cfg) {
  log(`reconnect: ${cfg.sockets} sockets on one of ${cfg.gateways} gateways, SIGKILL, ${cfg.rate}/s published throughout`);
  const herald = await measure(ctx, 'herald', cfg);
  const reference = await measure(ctx, 'reference', cfg);
  const scenario = `reconnect storm, ${cfg.sockets} sockets`;
  const notes = herald.resumed < herald.sockets ? [`only ${herald.resumed} of ${herald.sockets} resumed within ${cfg.timeoutMs / 1000} s`] : [];
  ctx.figures.add({
    key: 'reconnect.seconds_to_resumed',
    scenario,
    label: `kill → every socket back and synced (50 % at ${herald.secondsTo50pct} s, 99 % at ${herald.secondsTo99pct} s)`,
    value: herald.secondsToResumed,
    unit: 's',
    display: herald.resumed < herald.sockets ? `> ${herald.timeoutS} s (${herald.resumed} of ${herald.sockets} back)` : undefined,
    met: herald.resumed < herald.sockets && ctx.profileName === 'full' ? false : undefined,
    reference: { value: reference.secondsToResumed, label: 'reference server' },
    flags: herald.flags,
    notes: [...notes, ...herald.notes],
  });
  ctx.figures.add({
    key: 'reconnect.lost',
    scenario,
    label: `notifications missing on the ${herald.usersChecked} resumed sockets (of ${herald.published} published during the storm)`,
    value: herald.lost,
    unit: 'frames',
    reference: { value: reference.lost, label: 'reference server' },
    flags: [],
  });
  ctx.figures.add({
    key: 'reconnect.gateway_cpu_ms_per_resume',
    scenario,
    label: 'CPU of the surviving gateways per resumed socket (handshake, subscribe, resume reads, replay)',
    value: herald.gatewayCpuMsPerResume,
    unit: 'ms',
    reference: { value: reference.gatewayCpuMsPerResume, label: 'reference server' },
    flags: [],
  });
  ctx.figures.add({
    key: 'reconnect.dups',
    scenario,
    label: 'duplicate frames seen by clients',
    value: herald.dups,
    unit: 'frames',
    reference: { value: reference.dups, label: 'reference server' },
    flags: [],
  });
  return { config: cfg, herald, reference };
}
