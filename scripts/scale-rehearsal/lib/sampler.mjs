// Connections per gateway over time, as each gateway reports them on its own
// /metrics (herald_gateway_connections), read directly on its metrics port
// every 500 ms: the same number an HPA on connections would see.
import { readFileSync } from 'node:fs';
import { httpGet } from '../../harness/network.mjs';
import { cpuSeconds } from '../../harness/proc-stat.mjs';
import { sleep } from '../../harness/wait.mjs';
import { since } from './util.mjs';

export const SAMPLE_MS = 500;
/** A busy gateway may answer late; the next sample then starts late (each records its own t). */
const SCRAPE_TIMEOUT_MS = 1500;
const GAUGE = /^herald_gateway_connections(?:\{[^}]*\})? (\d+(?:\.\d+)?)$/m;

/** The children of a process (nginx's workers), empty off Linux. */
export function childrenOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** CPU seconds a process has used so far (user + system), or undefined off Linux or once it is gone. */
function cpuSecondsIfAlive(pid) {
  try {
    return cpuSeconds(pid);
  } catch {
    return undefined;
  }
}

/** The gauge as the gateway whose metrics listener is on `metricsPort` reports it. */
export async function connectionsOn(metricsPort) {
  const res = await httpGet(metricsPort, '/metrics', SCRAPE_TIMEOUT_MS);
  const match = res.status === 200 ? GAUGE.exec(res.body) : null;
  if (!match) throw new Error(`no herald_gateway_connections on :${metricsPort}`);
  return Number(match[1]);
}

export class Sampler {
  samples = [];
  running = false;

  /**
   * @param {{ t0: number, gateways: () => { name: string, port: number, metricsPort: number, running: boolean, ready: boolean, draining: boolean }[],
   *   processes: () => { name: string, pid: number }[],
   *   phase: () => string, clientsLive: () => number, posts: () => { answered: number, inFlight: number } }} o
   */
  constructor(o) {
    Object.assign(this, o);
  }

  start(maxMs) {
    this.running = true;
    this.loop = this.run(maxMs);
  }

  async run(maxMs) {
    const maxSamples = Math.ceil(maxMs / SAMPLE_MS);
    for (let i = 0; this.running && i < maxSamples; i++) {
      const started = performance.now();
      await this.sample();
      await sleep(Math.max(0, SAMPLE_MS - (performance.now() - started)));
    }
    this.running = false;
  }

  async sample() {
    const t = since(this.t0);
    const phase = this.phase();
    const all = this.gateways().filter((g) => g.running);
    // Not yet ready: still booting, not listening; nginx does not route to it yet.
    const starting = all.filter((g) => !g.ready).map((g) => g.name);
    const gateways = all.filter((g) => g.ready);
    const counts = await Promise.all(gateways.map((g) => connectionsOn(g.metricsPort).catch(() => null)));
    const stillRunning = new Set(this.gateways().filter((g) => g.running).map((g) => g.name));
    const connections = {};
    const unanswered = [];
    const draining = [];
    gateways.forEach((g, i) => {
      if (counts[i] !== null) connections[g.name] = counts[i];
      else if (stillRunning.has(g.name)) unanswered.push(g.name); // one that exited meanwhile is simply gone
      if (g.draining) draining.push(g.name);
    });
    this.samples.push({ t, phase, connections, unanswered, starting, draining, clientsLive: this.clientsLive(), posts: this.posts(), cpu: this.cpuShares() });
  }

  /**
   * Share of one CPU each process used since the previous sample, summed by
   * name (nginx: master and workers), plus this script's own (`harness`).
   */
  cpuShares() {
    const now = performance.now();
    const shares = {};
    const previous = this.lastCpu ?? new Map();
    const current = new Map();
    for (const { name, pid } of [...this.processes(), { name: 'harness', pid: process.pid }]) {
      const used = cpuSecondsIfAlive(pid);
      if (used === undefined) continue;
      current.set(pid, { used, at: now });
      const before = previous.get(pid);
      if (before && now > before.at) shares[name] = +((shares[name] ?? 0) + (used - before.used) / ((now - before.at) / 1000)).toFixed(2);
    }
    this.lastCpu = current;
    return shares;
  }

  async stop() {
    this.running = false;
    await this.loop;
  }
}
