// What every scenario does around its measurement: its own database and
// Redis prefix, the system under test started as real processes, load
// clients forked, and everything stopped and dropped afterwards.
import { randomBytes } from 'node:crypto';
import { deleteRedisPrefix } from '../../scripts/harness/redis-prefix.mjs';
import { sleep, waitUntil } from '../../scripts/harness/wait.mjs';
import { createDatabase } from './infra.mjs';
import { createReferenceSchema } from './reference-schema.mjs';
import { baseEnv, migrate, startSystem } from './system.mjs';
import { killClients, split, startClients } from './clients.mjs';
import { mergeSocketStats } from './clients.mjs';
import { log } from './util.mjs';

/**
 * Runs `fn({ system, db, env, kind, useMode })` against a fresh deployment
 * of `kind` ('herald' | 'reference') and always tears it down. `opts.mode`
 * ('durable' | 'async') is the synchronous_commit the processes start with.
 */
export async function withDeployment(ctx, kind, opts, fn) {
  const db = await createDatabase(kind);
  const prefix = `bench-${randomBytes(4).toString('hex')}:`;
  const env = baseEnv({ db, prefix, secret: ctx.secret, poolSize: ctx.profile.poolSize, heartbeatMs: opts.heartbeatMs ?? 25_000 });
  let system;
  try {
    if (opts.mode) await db.setSyncCommit(opts.mode === 'durable');
    if (kind === 'herald') migrate(env);
    else await createReferenceSchema(db); // the reference and the Socket.IO peer share its tables
    system = await startSystem(kind, { env, gateways: opts.gateways ?? 1, inspect: opts.inspect || ctx.cpuProfile || ctx.allocProfile, apiEnv: opts.apiEnv, apiExecArgv: opts.apiExecArgv, dist: opts.dist });
    let mode = opts.mode ?? 'durable';
    /** Switches synchronous_commit and restarts the api (its pool must reconnect to pick it up). */
    const useMode = async (next) => {
      if (next === mode) return;
      await db.setSyncCommit(next === 'durable');
      await system.restartApi();
      mode = next;
    };
    return await fn({ system, db, env, kind, label: opts.label ?? kind, useMode });
  } finally {
    await system?.stop().catch(() => undefined);
    await db.drop().catch((err) => log(`could not drop ${db.name}: ${err.message}`));
    await deleteRedisPrefix(prefix).catch(() => undefined);
  }
}

/**
 * One deployment of `kind` shared by several scenarios (end to end, heavy,
 * fan-out, ingestion): `sockets` users online over `gateways` gateways and
 * `publishers` publisher processes. Calls `fn(session)`; session.useMode()
 * switches synchronous_commit (restarting the api). `heartbeatMs` sets the
 * deployment's heartbeat (25 s if not given); the session carries the one in
 * effect and `connectedAt`, when its last socket connected.
 */
export function withSession(ctx, kind, { gateways, sockets, publishers, mode, heartbeatMs }, fn) {
  const socketClients = sockets ? Math.max(1, Math.ceil(sockets / ctx.profile.socketsPerClient)) : 0;
  return withDeployment(ctx, kind, { gateways, mode, heartbeatMs }, ({ system, db, env, useMode }) =>
    withClients(socketClients + publishers, kind, async (clients) => {
      const session = { kind, system, db, useMode, heartbeatMs: Number(env.HERALD_HEARTBEAT_MS), sockets: clients.slice(0, socketClients), publishers: clients.slice(socketClients), users: [] };
      if (sockets) session.users = (await connectUsers(ctx, system, session.sockets, { count: sockets })).users;
      session.connectedAt = Date.now();
      return fn(session);
    }),
  );
}

/** Forks load clients, always killed afterwards. */
export async function withClients(n, label, fn) {
  const clients = startClients(n, label);
  try {
    return await fn(clients);
  } finally {
    await killClients(clients);
  }
}

/**
 * Connects `count` users named `${prefix}${i}` from i = offset, user i to gateway i mod G
 * (or to `gatewayIndex` for all), spread over `clients`. Fails when fewer
 * than `minShare` of them connect.
 */
export async function connectUsers(ctx, system, clients, { count, offset = 0, prefix = 'u', gatewayIndex, reconnect, minShare = 0.99 }) {
  const urls = system.gateways.map((g) => g.wsUrl);
  const targets = Array.from({ length: count }, (_, k) => [`${prefix}${offset + k}`, urls[gatewayIndex ?? (offset + k) % urls.length]]);
  const parts = split(targets, clients.length);
  const bind = needsSourceAddresses(targets);
  const results = await Promise.all(
    clients.map((c, i) =>
      c.call('connect', { targets: parts[i], secret: ctx.secret, localAddress: bind ? c.localAddress : undefined, concurrency: 64, reconnect: reconnect ? { urls, ...reconnect } : null }, 330_000),
    ),
  );
  const connected = results.reduce((a, r) => a + r.connected, 0);
  const failed = new Set(results.flatMap((r) => r.failed));
  const ms = Math.max(...results.map((r) => r.ms));
  const errors = Object.assign({}, ...results.map((r) => r.connectErrors));
  log(`  ${system.kind}: ${connected}/${count} sockets connected in ${(ms / 1000).toFixed(1)} s${Object.keys(errors).length ? ` errors ${JSON.stringify(errors)}` : ''}`);
  if (connected < count * minShare) throw new Error(`only ${connected} of ${count} sockets connected: ${JSON.stringify(errors)}`);
  return { users: targets.map((t) => t[0]).filter((u) => !failed.has(u)), connected, connectMs: ms, connectErrors: errors };
}

/**
 * Sockets connect without binding a source address, so the kernel picks the
 * port per destination (~28k per gateway port, loopback TIME_WAIT ports
 * reused). Binding first (localAddress) makes every connect() search its
 * address's whole port range for a free port: in a 10k-socket reconnect
 * storm that was 57 % of a load client's CPU and seconds of event-loop
 * delay. Only when one gateway would take more sockets than one source
 * address has ports does each client bind to its own 127.1.x.y.
 */
function needsSourceAddresses(targets) {
  const perUrl = new Map();
  for (const [, url] of targets) perUrl.set(url, (perUrl.get(url) ?? 0) + 1);
  return Math.max(...perUrl.values()) > 25_000;
}

export const resetAll = (clients, tag) => Promise.all(clients.map((c) => c.call('reset', { tag })));

export async function socketStats(clients) {
  return mergeSocketStats(await Promise.all(clients.map((c) => c.call('stats'))));
}

/** Waits until the clients have received `expected` tagged frames, or nothing arrived for `idleMs`, or `timeoutMs`. */
export async function awaitDeliveries(clients, expected, { timeoutMs = 15_000, idleMs = 3000 } = {}) {
  let last = -1;
  let lastChange = Date.now();
  await waitUntil(
    async () => {
      const s = await socketStats(clients);
      if (s.received !== last) {
        last = s.received;
        lastChange = Date.now();
      }
      return s.received >= expected || Date.now() - lastChange > idleMs;
    },
    { timeoutMs, intervalMs: 250, what: 'deliveries' },
  ).catch(() => undefined);
  await sleep(200); // late duplicates, if any, are counted too
  return socketStats(clients);
}
