// The soak itself: an api and gateways as real processes on real Postgres
// and Redis, thousands of sockets that churn, a steady stream of POSTs, and
// every process sampled until the end; then each client is checked against
// Postgres. run.mjs parses the command line and checks prerequisites first.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { killAllSync, liveChildren } from '../../harness/child-processes.mjs';
import { HeraldProcess } from '../../harness/herald-process.mjs';
import { freePort } from '../../harness/network.mjs';
import { removeDir, tempDir } from '../../harness/paths.mjs';
import { pollUntil, sleep } from '../../harness/wait.mjs';
// The scale rehearsal's load pieces: a counting, resuming socket client and a rate-steady publisher.
import { RehearsalClient } from '../../scale-rehearsal/lib/client.mjs';
import { Scope } from '../../scale-rehearsal/lib/contracts.mjs';
import { createInfra } from '../../scale-rehearsal/lib/infra.mjs';
import { Publisher } from '../../scale-rehearsal/lib/publisher.mjs';
import { pool, since } from '../../scale-rehearsal/lib/util.mjs';
import { buildReport, formatReport } from './report.mjs';
import { ResourceSampler } from './sampler.mjs';

/** Gateways drain fast at the end: the soak is not about drain. */
const DRAIN_MS = 1000;
const CHURN_TICK_MS = 1000;
/** Kept-alive POST connections: a steady few, so they do not swing the api's descriptor count. */
const PUBLISH_CONNECTIONS = 16;

let t0;
let run;
let phase = 'setup';
const log = (msg) => console.error(`[${(since(t0) / 1000).toFixed(1).padStart(7)} s] ${msg}`);

/** About churnPerMinute of the live clients close normally (a page reload) each minute and come back with since. */
function startChurn(clients, churnPerMinute) {
  let owed = 0;
  const timer = setInterval(() => {
    owed += (clients.length * churnPerMinute * CHURN_TICK_MS) / 60_000;
    // Bounded: at most one pass of random picks per client.
    for (let i = 0; owed >= 1 && i < clients.length; i++) if (clients[Math.floor(Math.random() * clients.length)].churn()) owed -= 1;
    owed = Math.min(owed, clients.length * 0.01);
  }, CHURN_TICK_MS);
  return () => clearInterval(timer);
}

async function startProcesses(options, infra, cwd) {
  const make = async (kind, name, env) => {
    const metricsPort = await freePort();
    // metricsPort for a harness that sets HERALD_METRICS_PORT itself, the variable for one that does not.
    const proc = new HeraldProcess(kind, { port: await freePort(), metricsPort, env: { ...env, HERALD_METRICS_PORT: String(metricsPort) }, cwd, name });
    proc.metricsPort = metricsPort;
    return proc;
  };
  const api = await make('api', 'api', infra.env);
  const gateways = [];
  for (let i = 0; i < options.gateways; i++) gateways.push(await make('gateway', `gateway-${i}`, infra.gatewayEnv));
  run.processes = [api, ...gateways];
  await Promise.all(run.processes.map((p) => p.start({ t0, timeoutMs: 60_000 })));
  return { api, gateways };
}

async function soak(options) {
  const infra = (run.infra = await createInfra({ drainMs: DRAIN_MS }));
  log(`database ${infra.name}, Redis prefix ${infra.prefix}; migrate: ${await infra.migrate()}`);
  const cwd = (run.cwd = tempDir('herald-soak'));
  const { api, gateways } = await startProcesses(options, infra, cwd);
  log(`api :${api.port}, gateways ${gateways.map((g) => `:${g.port}`).join(' ')}`);

  const runId = `soak-${randomBytes(4).toString('hex')}`;
  const latency = { live: [], replayed: [], offline: [], offlineSteps: { backoff: [], upgrade: [], welcome: [], resume: [] } };
  const clients = (run.clients = Array.from({ length: options.clients }, (_, i) => {
    const userId = `${runId}-u${i}`;
    return new RehearsalClient({ userId, token: infra.userToken(userId), baseUrl: `ws://127.0.0.1:${gateways[i % gateways.length].port}`, latency });
  }));
  // Not kept per notification over a long run: only counts matter here.
  latency.live.push = latency.replayed.push = () => 0;

  const sampler = (run.sampler = new ResourceSampler({
    t0,
    sampleMs: options.sampleMs,
    processes: () => run.processes.filter((p) => p.running).map((p) => ({ name: p.name, pid: p.child.pid, ports: [p.metricsPort, p.port] })),
    phase: () => phase,
    extra: () => ({ clientsLive: clients.filter((c) => c.live).length, created: run.publisher?.created ?? 0 }),
  }));
  phase = 'connect';
  sampler.start(options.deadlineMs);
  await pool(clients, options.connectConcurrency, (c) => c.start().catch((e) => run.errors.push(`connect: ${e.message}`)));
  log(`${clients.filter((c) => c.live).length}/${clients.length} clients live`);

  const publisher = (run.publisher = new Publisher({
    baseUrl: api.url,
    token: infra.serviceToken(Scope.Publish),
    users: clients.map((c) => c.userId),
    ratePerSecond: options.ratePerSecond,
    runId,
    maxSockets: PUBLISH_CONNECTIONS,
  }));
  phase = 'steady';
  run.steady = { startMs: since(t0) };
  publisher.start(options.durationMs + 60_000);
  const stopChurn = (run.stopChurn = startChurn(clients, options.churnPerMinute));
  // Bounded: one line a minute until the duration is over.
  for (let left = options.durationMs; left > 0; left -= 60_000) {
    await sleep(Math.min(60_000, left));
    const last = sampler.samples.at(-1);
    const held = Object.entries(last?.processes ?? {}).map(([n, p]) => `${n} ${(p.rssBytes / 2 ** 20).toFixed(0)} MB/${p.fds} fds`).join(', ');
    log(`${publisher.created} POSTs, ${last?.clientsLive} live; ${held}; load ${last?.load1}`);
  }
  stopChurn();
  await publisher.stop();
  run.steady.endMs = since(t0);

  phase = 'catch-up';
  log(`published ${publisher.created} (${publisher.retries} retries, ${publisher.failed.length} never 201); waiting for clients`);
  run.dbRows = await infra.rowsPerUser();
  const behind = () => clients.filter((c) => !c.stopped && (!c.live || c.lastSeq !== (run.dbRows.get(c.userId)?.lastSeq ?? 0)));
  run.caughtUp = Boolean(await pollUntil(() => behind().length === 0, { timeoutMs: options.catchupMs, intervalMs: 250 }));
  await sleep(500); // room for a late duplicate to show up
  run.stillRunning = run.processes.filter((p) => !p.running).map((p) => p.name);
  await sampler.stop();
}

let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    run.stopChurn?.();
    for (const c of run.clients) c.stop();
    await run.sampler?.stop();
    await run.publisher?.stop().catch(() => {});
    await Promise.all((run.processes ?? []).map((p) => p.stop('SIGTERM', 10_000)));
    if (run.cwd) removeDir(run.cwd);
    if (run.infra) run.errors.push(...(await run.infra.dispose()));
    const left = liveChildren();
    if (left.length) run.errors.push(`processes still running after clean-up: ${left.join(', ')}`);
  })();
  return cleaning;
}

function finish(options) {
  run.durationMs = since(t0);
  run.environment.loadAverageAtEnd = loadavg().map((l) => +l.toFixed(2));
  const report = buildReport(run);
  console.log(formatReport(report));
  const out = resolve(options.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 1)}\n`);
  console.log(`report: ${out}`);
  return report;
}

let aborted;
function abort(options, reason, code) {
  if (aborted) return;
  log(`${reason}: cleaning up`);
  run.errors.push(`aborted: ${reason}`);
  aborted = cleanup()
    .then(() => finish(options))
    .catch((error) => log(`could not write the report: ${error.stack ?? error}`))
    .finally(() => process.exit(code));
}

/** The whole soak; resolves with the exit code (0: nothing lost, everything flat). */
export async function main(options) {
  t0 = performance.now();
  run = {
    options,
    startedAt: new Date().toISOString(),
    environment: { node: process.version, cpus: cpus().length, loadAverageAtStart: loadavg().map((l) => +l.toFixed(2)) },
    clients: [],
    errors: [],
    caughtUp: false,
  };
  process.on('exit', killAllSync);
  process.once('SIGINT', () => abort(options, 'SIGINT', 130));
  process.once('SIGTERM', () => abort(options, 'SIGTERM', 143));
  const watchdog = setTimeout(() => abort(options, `the run exceeded its deadline of ${options.deadlineMs} ms`, 1), options.deadlineMs);
  try {
    await soak(options);
  } catch (error) {
    if (aborted) await aborted;
    run.errors.push(`aborted: ${error.stack ?? error}`);
    log(`error: ${error.stack ?? error}`);
    for (const p of run.processes ?? []) if (p.output()) log(`${p.name} output:\n${p.tail(2000)}`);
  }
  await cleanup();
  clearTimeout(watchdog);
  if (aborted) await aborted;
  try {
    return finish(options).ok ? 0 : 1;
  } catch (error) {
    log(`could not write the report: ${error.stack ?? error}`);
    return 1;
  }
}
