// Child processes of a bench run (api, gateways, reference servers) and what
// /proc says about them. Spawning, tracking (an interrupted run still kills
// exactly the processes it started) and stopping are the shared harness's
// (scripts/harness/child-processes.mjs).
import { readFileSync } from 'node:fs';
import { spawnNode, stopChild } from '../../scripts/harness/child-processes.mjs';
import { answersOk, freePort } from '../../scripts/harness/network.mjs';
import { cpuSeconds } from '../../scripts/harness/proc-stat.mjs';
import { pollUntil, sleep } from '../../scripts/harness/wait.mjs';

/** Lines of a child's output a failure shows, and the characters kept to find them. */
const TAIL_LINES = 60;
const KEEP_CHARS = 32 * 1024;

/**
 * Spawns `node [execArgv] script` with this process's environment plus `env`
 * on its own port. Output is kept (`tail`: its last 60 lines) to explain a
 * failure, not printed.
 */
export async function startNode(name, script, { env = {}, execArgv = [], cwd = process.cwd() } = {}) {
  const port = await freePort();
  const spawned = spawnNode(script, { name, env: { ...process.env, ...env, PORT: String(port) }, cwd, execArgv, keepChars: KEEP_CHARS });
  const { child, exited } = spawned;
  const proc = {
    name,
    port,
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    exited,
    running: spawned.running,
    get tail() {
      const lines = spawned.output().split('\n').filter((line) => line.trim());
      return lines.slice(-TAIL_LINES).map((line) => `${name}: ${line}`);
    },
    kill(signal = 'SIGKILL') {
      if (spawned.running()) child.kill(signal);
    },
    /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
    async stop(graceMs = 5000) {
      await stopChild(child, 'SIGTERM', graceMs);
    },
  };
  return proc;
}

/** Polls GET `path` until 200, failing early (with the child's output) if it exits. */
export async function waitReady(proc, path = '/readyz', timeoutMs = 30_000) {
  const outcome = await pollUntil(async () => (!proc.running() ? 'exited' : (await answersOk(proc.port, path, 2000)) && 'ready'), { timeoutMs, intervalMs: 150 });
  if (outcome === 'ready') return;
  throw new Error(`${proc.name} not ready (${outcome === 'exited' ? 'exited' : 'timeout'}):\n${proc.tail.join('\n')}`);
}

/** Resident set size of a process in bytes (VmRSS from /proc/<pid>/status). */
export function rssBytes(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return m ? Number(m[1]) * 1024 : NaN;
}

/**
 * CPU seconds each process uses from now until stop(): the cost per operation
 * (CPU per POST, per delivered frame, per resumed socket) that, unlike
 * throughput and latency, another job on the machine barely changes.
 */
export function cpuMeter(procs) {
  const start = procs.map((p) => safe(() => cpuSeconds(p.pid)));
  return () => {
    const used = {};
    procs.forEach((p, i) => {
      used[p.name] = safe(() => cpuSeconds(p.pid)) - start[i];
    });
    used.total = Object.values(used).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
    return used;
  };
}

/** Machine-wide CPU counters from /proc/stat: busy and total jiffies over all cores. */
export function machineCpu() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + (v[4] ?? 0); // idle + iowait
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0); // guest time is already inside user
  return { busy: total - idle, total };
}

/** Samples machine CPU and per-process CPU over `ms`; percentages of the whole machine and of one core. */
export async function sampleCpu(ms, procs) {
  const m0 = machineCpu();
  const p0 = procs.map((p) => safe(() => cpuSeconds(p.pid)));
  await sleep(ms);
  const m1 = machineCpu();
  const p1 = procs.map((p) => safe(() => cpuSeconds(p.pid)));
  const perProcess = {};
  procs.forEach((p, i) => {
    perProcess[p.name] = ((p1[i] - p0[i]) / (ms / 1000)) * 100;
  });
  return { machinePct: ((m1.busy - m0.busy) / (m1.total - m0.total)) * 100, perProcessCorePct: perProcess, windowMs: ms };
}

function safe(fn) {
  try {
    return fn();
  } catch {
    return NaN;
  }
}
