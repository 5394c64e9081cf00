// Load generator processes (child_process.fork of bench/load-client.mjs) and
// a request/response call over their IPC channel. Each is tracked with the
// run's other children (scripts/harness/child-processes.mjs), so an
// interrupted run kills them too.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { track } from '../../scripts/harness/child-processes.mjs';
import { addCounts } from './util.mjs';
import { merge, summarize } from './hist.mjs';

const SCRIPT = fileURLToPath(new URL('../load-client.mjs', import.meta.url));
let addressCounter = 0;

/**
 * A loopback source address of its own per client process (127.1.0.1,
 * 127.1.0.2 …), each with its own ~28k ports, used only when one gateway
 * takes more sockets than one address has ports (see lib/deploy.mjs).
 */
function nextSourceAddress() {
  const n = addressCounter++;
  return `127.1.${Math.floor(n / 250)}.${1 + (n % 250)}`;
}

export class LoadClient {
  constructor(name) {
    this.name = name;
    this.localAddress = nextSourceAddress();
    // BENCH_CLIENT_PROF=<dir> profiles the load clients themselves (is the client the bottleneck?).
    const prof = process.env.BENCH_CLIENT_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CLIENT_PROF}`] : [];
    this.child = track(fork(SCRIPT, [], { serialization: 'advanced', execArgv: ['--max-old-space-size=4096', ...prof], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }), name);
    this.pid = this.child.pid;
    this.pending = new Map();
    this.seq = 0;
    this.child.on('message', (m) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`${name}: ${m.error}`));
    });
    this.child.once('exit', (code, signal) => {
      for (const p of this.pending.values()) p.reject(new Error(`${name} exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  /** Sends `cmd` and resolves with the client's answer, or rejects after `timeoutMs`. */
  call(cmd, args = {}, timeoutMs = 60_000) {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${cmd} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.child.send({ id, cmd, args });
    });
  }

  /** Closes the IPC channel (the client exits by itself, writing a --cpu-prof if any), SIGKILL after 3 s. */
  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.kill(), 3000);
    await exited;
    clearTimeout(timer);
  }

  kill() {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

export function startClients(n, label) {
  return Array.from({ length: n }, (_, i) => new LoadClient(`${label}-client${i}`));
}

export function killClients(clients) {
  return Promise.all(clients.map((c) => c.stop()));
}

/** Splits `items` into `n` nearly equal consecutive slices. */
export function split(items, n) {
  const out = [];
  const size = Math.ceil(items.length / n);
  for (let i = 0; i < n; i++) out.push(items.slice(i * size, (i + 1) * size));
  return out;
}

/** Adds the socket-side stats of every client: counts, merged latency histogram, load of each client. */
export function mergeSocketStats(all) {
  const total = { received: 0, dups: 0, gaps: 0, open: 0, synced: 0, resyncs: 0, reconnects: 0, closes: {}, connectErrors: {}, firstArrival: Infinity, lastArrival: -Infinity, lastSyncedAt: -Infinity };
  for (const s of all) {
    for (const k of ['received', 'dups', 'gaps', 'open', 'synced', 'resyncs', 'reconnects']) total[k] += s[k];
    addCounts(total.closes, s.closes);
    addCounts(total.connectErrors, s.connectErrors);
    total.firstArrival = Math.min(total.firstArrival, s.firstArrival ?? Infinity);
    total.lastArrival = Math.max(total.lastArrival, s.lastArrival ?? -Infinity);
    total.lastSyncedAt = Math.max(total.lastSyncedAt, s.lastSyncedAt ?? -Infinity);
  }
  total.latency = summarize(merge(all.map((s) => s.hist)));
  total.clientLoad = all.map((s) => s.load);
  return total;
}
