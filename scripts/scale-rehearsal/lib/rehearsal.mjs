// The rehearsal itself: set-up, the phases 1 → 4 → 2, the check, clean-up.
// run.mjs parses the command line and checks prerequisites first.
import { randomBytes } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { killAllSync, liveChildren } from '../../harness/child-processes.mjs';
import { HeraldProcess } from '../../harness/herald-process.mjs';
import { freePort } from '../../harness/network.mjs';
import { removeDir, tempDir } from '../../harness/paths.mjs';
import { pollUntil, sleep } from '../../harness/wait.mjs';
import { RehearsalClient } from './client.mjs';
import { Scope } from './contracts.mjs';
import { createInfra } from './infra.mjs';
import { Fleet } from './fleet.mjs';
import { Nginx, NGINX_BIN } from './nginx.mjs';
import { SCALE } from './options.mjs';
import { Publisher } from './publisher.mjs';
import { buildReport, formatReport } from './report.mjs';
import { childrenOf, Sampler } from './sampler.mjs';
import { pool, since } from './util.mjs';

/** The harness's own load, to tell its slowness from Herald's. */
const LOOP_RESOLUTION_MS = 10;

// One run per process: main() sets these once.
let options;
let t0;
let loopDelay;
let phaseLoopDelay;
let cpuAtStart;
let run;
let infra;
let fleet;
let nginx;
let api;
let cwd;
let phase = 'setup';

/** The histogram holds whole timer intervals: the delay is what exceeds the resolution. */
function loopDelayOf(histogram) {
  const ms = (ns) => Math.max(0, +(ns / 1e6 - LOOP_RESOLUTION_MS).toFixed(1));
  return { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) };
}

const log = (msg) => console.error(`[${(since(t0) / 1000).toFixed(1).padStart(6)} s] ${msg}`);

/** `nginx -v` answers on stderr. */
function nginxVersion() {
  const { stdout, stderr } = spawnSync(NGINX_BIN, ['-v'], { encoding: 'utf8', timeout: 5000 });
  return `${stdout ?? ''}${stderr ?? ''}`.trim().replace(/^nginx version: /, '') || undefined;
}

/** Closes the current phase and opens `name` (none: just close). */
function enterPhase(name) {
  const now = since(t0);
  const current = run.phases.at(-1);
  if (current) {
    current.durationMs = now - current.startMs;
    current.harnessLoopDelayMs = loopDelayOf(phaseLoopDelay);
  }
  phaseLoopDelay.reset();
  if (!name) return;
  run.phases.push({ name, startMs: now, durationMs: 0, gateways: [] });
  phase = name;
  log(`phase ${name}`);
}

/** Records which gateways nginx routes to at the end of the current phase. */
function notePhaseGateways() {
  const current = run.phases.at(-1);
  if (current) current.gateways = fleet.inRotation.map((g) => g.name);
}

/** Page reloads: about churnPerSecond × clients per second close normally and come back with since. */
function startChurn(clients) {
  let owed = 0;
  const tickMs = 100;
  const timer = setInterval(() => {
    owed += clients.length * options.churnPerSecond * (tickMs / 1000);
    for (let i = 0; owed >= 1 && i < clients.length; i++) {
      const c = clients[Math.floor(Math.random() * clients.length)];
      if (c.churn()) owed -= 1;
    }
    owed = Math.min(owed, 1);
  }, tickMs);
  return () => clearInterval(timer);
}

async function rehearse() {
  infra = await createInfra({ drainMs: options.drainMs });
  log(`database ${infra.name}, Redis prefix ${infra.prefix}; migrate: ${await infra.migrate()}`);
  // Not the repo: the api finds the SDK bundle from its own location, and nothing writes into the tree.
  cwd = tempDir('herald-rehearsal');
  api = new HeraldProcess('api', { port: await freePort(), env: infra.env, cwd });
  fleet = new Fleet({ t0, env: infra.gatewayEnv, cwd, drainMs: options.drainMs, preStopMs: options.preStopMs, log });
  const [, first] = await Promise.all([api.start({ t0 }), fleet.startGateway()]);
  nginx = new Nginx({
    port: await freePort(),
    controlPort: await freePort(),
    apiPort: api.port,
    workerConnections: Math.min(9000, options.clients * 2 + 1024),
  });
  first.inRotation = true;
  first.inRotationAtMs = since(t0);
  nginx.writeSite([first.port]);
  await nginx.start();
  fleet.attach(nginx);
  const baseUrl = `https://127.0.0.1:${nginx.port}`;
  const ca = nginx.ca;
  const secureContext = createSecureContext({ ca });
  log(`nginx ${baseUrl} → api :${api.port}, ${first.name} :${first.port}`);

  const runId = `rehearsal-${randomBytes(4).toString('hex')}`;
  const clients = Array.from({ length: options.clients }, (_, i) => {
    const userId = `${runId}-u${i}`;
    return new RehearsalClient({ userId, token: infra.userToken(userId), baseUrl: `wss://127.0.0.1:${nginx.port}`, secureContext, latency: run.latency });
  });
  run.clients = clients;
  await pool(clients, options.connectConcurrency, (c) => c.start().catch((e) => run.errors.push(`connect: ${e.message}`)));
  log(`${clients.filter((c) => c.live).length}/${clients.length} clients live`);

  const publisher = new Publisher({
    baseUrl,
    ca,
    token: infra.serviceToken(Scope.Publish),
    users: clients.map((c) => c.userId),
    ratePerSecond: options.ratePerSecond,
    runId,
  });
  run.publisher = publisher;
  const sampler = new Sampler({
    t0,
    gateways: () =>
      fleet.gateways.map((g) => ({ name: g.name, port: g.port, metricsPort: g.metricsPort, running: Boolean(g.proc?.running), ready: g.proc?.readyAt !== undefined, draining: g.draining })),
    processes: () => [
      ...[api, ...fleet.gateways.map((g) => g.proc)].filter((p) => p?.running).map((p) => ({ name: p.name, pid: p.child.pid })),
      ...[nginx.child.pid, ...childrenOf(nginx.child.pid)].map((pid) => ({ name: 'nginx', pid })),
    ],
    phase: () => phase,
    clientsLive: () => clients.filter((c) => c.live).length,
    posts: () => ({ answered: publisher.created, inFlight: publisher.inFlight }),
  });
  run.sampler = sampler;
  enterPhase('one');
  notePhaseGateways();
  sampler.start(options.deadlineMs);
  publisher.start(options.deadlineMs);
  const publishStart = performance.now();
  run.stopChurn = startChurn(clients);
  await sleep(options.oneMs);
  enterPhase('scale-up');
  await fleet.scaleUp(SCALE.peak - SCALE.initial);
  notePhaseGateways();
  enterPhase('peak');
  notePhaseGateways();
  await sleep(options.peakMs);
  enterPhase('scale-down');
  await fleet.scaleDown(SCALE.peak - SCALE.final);
  notePhaseGateways();
  enterPhase('final');
  notePhaseGateways();
  await sleep(options.finalMs);

  enterPhase('catch-up');
  notePhaseGateways();
  run.stopChurn();
  await publisher.stop();
  run.publishMs = performance.now() - publishStart;
  log(`published ${publisher.created} (${publisher.retries} retries, ${publisher.failed.length} never 201); waiting for clients`);
  const behind = () => clients.filter((c) => !c.stopped && (c.received !== (publisher.sent.get(c.userId) ?? 0) || !c.live));
  run.caughtUp = Boolean(await pollUntil(() => behind().length === 0, { timeoutMs: options.catchupMs, intervalMs: 100 }));
  await sleep(300); // room for a late duplicate to show up
  await sampler.stop();
  // The closing sample is the "end" of the report: give a slow /metrics a second chance.
  for (let i = 0; i < 3; i++) {
    await sampler.sample();
    if (!sampler.samples.at(-1).unanswered.length) break;
  }
  enterPhase(null);
  run.dbRows = await infra.rowsPerUser();
}

let cleaning;
/** Takes down everything this run started, in reverse order. Idempotent. */
function cleanup() {
  cleaning ??= (async () => {
    run.stopChurn?.();
    for (const c of run.clients) c.stop();
    run.sampler?.stop();
    await run.publisher?.stop().catch(() => {});
    await fleet?.stopAll();
    await api?.stop('SIGTERM', 10_000);
    await nginx?.stop();
    if (cwd) removeDir(cwd);
    if (infra) run.errors.push(...(await infra.dispose()));
    const left = liveChildren();
    if (left.length) run.errors.push(`processes still running after clean-up: ${left.join(', ')}`);
  })();
  return cleaning;
}

function finish() {
  run.durationMs = since(t0);
  run.environment.loadAverageAtEnd = loadavg().map((l) => +l.toFixed(2));
  const cpu = process.cpuUsage(cpuAtStart);
  run.environment.harness = {
    cpuShare: +((cpu.user + cpu.system) / 1000 / run.durationMs).toFixed(2),
    eventLoopDelayMs: loopDelayOf(loopDelay),
  };
  run.gateways = fleet?.describe() ?? [];
  const report = buildReport(run);
  console.log(formatReport(report));
  const out = resolve(options.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`report: ${out}`);
  return report;
}

/** Set once a signal or the deadline ends the run early; it settles by exiting the process. */
let aborted;
/** Stops the run early: clean up, write what was recorded (marked failed), exit. */
function abort(reason, code) {
  if (aborted) return;
  log(`${reason}: cleaning up`);
  run.errors.push(`aborted: ${reason}`);
  aborted = cleanup()
    .then(() => finish())
    .catch((error) => log(`could not write the report: ${error.stack ?? error}`))
    .finally(() => process.exit(code));
}

/**
 * The whole rehearsal; resolves with the exit code (0: everything matched).
 * On SIGINT/SIGTERM or past the deadline it cleans up, writes what it has and
 * exits the process itself.
 */
export async function main(opts) {
  options = opts;
  t0 = performance.now();
  loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loopDelay.enable();
  phaseLoopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  phaseLoopDelay.enable();
  cpuAtStart = process.cpuUsage();
  run = {
    options,
    scale: SCALE,
    startedAt: new Date().toISOString(),
    environment: { node: process.version, nginx: nginxVersion(), cpus: cpus().length, loadAverageAtStart: loadavg().map((l) => +l.toFixed(2)) },
    clients: [],
    gateways: [],
    phases: [],
    errors: [],
    latency: { live: [], replayed: [], offline: [], offlineSteps: { backoff: [], upgrade: [], welcome: [], resume: [] } },
    caughtUp: false,
  };

  // Whatever happens, no child outlives the script.
  process.on('exit', killAllSync);
  process.once('SIGINT', () => abort('SIGINT', 130));
  process.once('SIGTERM', () => abort('SIGTERM', 143));
  const watchdog = setTimeout(() => abort(`the run exceeded its deadline of ${options.deadlineMs} ms`, 1), options.deadlineMs);

  let exitCode = 1;
  try {
    await rehearse();
  } catch (error) {
    if (aborted) await aborted; // what failed is the clean-up's doing; abort() reports and exits
    run.errors.push(`aborted: ${error.stack ?? error}`);
    log(`error: ${error.stack ?? error}`);
    for (const g of fleet?.gateways ?? []) if (g.proc?.output()) log(`${g.name} output:\n${g.proc.tail(2000)}`);
    if (api?.output()) log(`api output:\n${api.tail(2000)}`);
    if (nginx) log(`nginx error log:\n${nginx.errorLogTail(2000)}`);
  }
  await cleanup();
  clearTimeout(watchdog);
  if (aborted) await aborted;
  try {
    exitCode = finish().ok ? 0 : 1;
  } catch (error) {
    log(`could not write the report: ${error.stack ?? error}`);
  }
  return exitCode;
}
