// A deployment under test: one api process and N gateway processes, either
// Herald's (from dist/) or the reference server's, on their own database and
// Redis prefix. Scenarios only see { api, gateways, restartApi, stop }.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../scripts/harness/network.mjs';
import { DIST_DIR, DIST_MAIN, removeDir, REPO_ROOT as ROOT } from '../../scripts/harness/paths.mjs';
import { REDIS_URL } from '../../scripts/harness/services.mjs';
import { startNode, waitReady } from './procs.mjs';

const REFERENCE = path.join(ROOT, 'bench/reference-server.mjs');
const SOCKETIO = path.join(ROOT, 'bench/socketio-server.mjs');
let DIST = DIST_DIR;
const SCRIPTS = {
  get api() {
    return path.join(DIST, DIST_MAIN.api);
  },
  get gateway() {
    return path.join(DIST, DIST_MAIN.gateway);
  },
  get migrate() {
    return path.join(DIST, DIST_MAIN.migrate);
  },
  get worker() {
    return path.join(DIST, DIST_MAIN.worker);
  },
};

/** A Herald worker process beside a deployment (the worker scenario's), from this run's dist/ copy. */
export async function startWorker(env) {
  const proc = await startNode('herald-worker', SCRIPTS.worker, { env, cwd: ROOT });
  await waitReady(proc, '/readyz');
  return proc;
}

/**
 * Runs every Herald process of this bench run from a private copy of dist/
 * (`dir`, inside the repository so node_modules and package.json resolve as
 * for dist/). Someone running `npm run build` meanwhile deletes and rewrites
 * dist/, and an api restarted between two modes would otherwise not find it.
 * Returns a function that removes the copy.
 */
/** The dist/ directory this run's Herald processes run from. */
export const distDir = () => DIST;

export function useDistSnapshot(dir) {
  const source = DIST_DIR;
  if (!existsSync(path.join(source, DIST_MAIN.api))) throw new Error('dist/ is missing: run `npm run build` (npm run bench does)');
  cpSync(source, dir, { recursive: true });
  DIST = dir;
  return () => removeDir(dir);
}

/** Environment shared by every process of a deployment; the reference reads the same names. */
export function baseEnv({ db, prefix, secret, poolSize, heartbeatMs }) {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: String(poolSize),
    REDIS_URL,
    HERALD_REDIS_PREFIX: prefix,
    HERALD_JWT_SECRET: secret,
    HERALD_HEARTBEAT_MS: String(heartbeatMs),
    // The bench is the only publisher: lift the per-service budget (the limiter still runs).
    HERALD_PUBLISH_RATE_PER_SECOND: '10000000',
    HERALD_DRAIN_MS: '0',
    // Every load client is 127.0.0.1: per-address budgets off, the pod cap
    // above the largest profile; no metrics listeners (gateways share a host).
    HERALD_IP_HANDSHAKES_PER_MINUTE: '0',
    HERALD_IP_REQUESTS_PER_SECOND: '0',
    HERALD_MAX_CONNECTIONS: '1000000',
    HERALD_METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
  };
}

/** `npm run migrate` against the deployment's database (the same environment as the apps). */
export function migrate(env) {
  const r = spawnSync(process.execPath, [SCRIPTS.migrate], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`migration failed: ${r.stderr || r.stdout}`);
}

/**
 * Starts `kind` ('herald' | 'reference' | 'socketio') with `gateways` gateway processes.
 * `inspect` gives every process an inspector port on 127.0.0.1 (forced GC
 * for memory figures, CPU profiles); an idle inspector costs nothing.
 * `apiEnv` and `apiExecArgv` go to the api process only (the trace preload).
 * `dist`: run Herald from another build (an earlier commit, to compare).
 */
export async function startSystem(kind, { env, gateways = 1, inspect = false, apiEnv = {}, apiExecArgv = [], dist }) {
  const script = (role) => (dist ? path.join(dist, DIST_MAIN[role]) : SCRIPTS[role]);
  const launch = async (role, name) => {
    const inspectPort = inspect ? await freePort() : null;
    const execArgv = [...(inspectPort ? [`--inspect=127.0.0.1:${inspectPort}`] : []), ...(role === 'api' ? apiExecArgv : [])];
    const proc =
      kind === 'herald'
        ? await startNode(`${kind}-${name}`, script(role), { env: { ...env, ...(role === 'api' ? apiEnv : {}) }, execArgv, cwd: ROOT })
        : await startNode(`${kind}-${name}`, kind === 'socketio' ? SOCKETIO : REFERENCE, { env: { ...env, REF_ROLE: role }, execArgv, cwd: ROOT });
    proc.inspectPort = inspectPort;
    // Socket.IO clients connect to the server's http URL (its own path, /socket.io/).
    if (kind === 'socketio') proc.wsUrl = proc.url;
    await waitReady(proc, kind === 'herald' ? '/readyz' : '/healthz');
    return proc;
  };
  // All at once: start-up is mostly module loading, and the api does not need the gateways.
  const [api, ...gws] = await Promise.all([launch('api', 'api'), ...Array.from({ length: gateways }, (_, i) => launch('gateway', `gateway${i}`))]);
  const system = {
    kind,
    api,
    gateways: gws,
    /** Restarts the api so its pool reconnects (picks up ALTER DATABASE settings). */
    async restartApi() {
      await system.api.stop();
      system.api = await launch('api', 'api');
    },
    procs: () => [system.api, ...system.gateways],
    async stop() {
      await Promise.all(system.procs().map((p) => p.stop(8000)));
    },
  };
  return system;
}
