/* global AbortSignal */
// Child processes of a bench run (api, gateways, reference servers) and what
// /proc says about them. Every child is tracked so that an interrupted run
// still kills exactly the processes it started, by pid.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { sleep } from './util.mjs';

const running = new Set();

/** Kills every child this run started (on exit or Ctrl-C). */
export function killAll() {
  for (const p of running) p.kill('SIGKILL');
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `node [execArgv] script` with `env` on its own port. Output is kept
 * (last 60 lines) to explain a failure, not printed.
 */
export async function startNode(name, script, { env = {}, execArgv = [], cwd = process.cwd() } = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [...execArgv, script], {
    cwd,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = [];
  const keep = (chunk) => {
    for (const line of String(chunk).split('\n')) if (line.trim()) tail.push(`${name}: ${line}`);
    tail.splice(0, Math.max(0, tail.length - 60));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const proc = {
    name,
    port,
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    exited,
    tail,
    kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
    async stop(graceMs = 5000) {
      proc.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!done) proc.kill('SIGKILL');
      await exited;
    },
  };
  running.add(proc);
  exited.then(() => running.delete(proc));
  return proc;
}

/** Polls GET `path` until 200, failing early (with the child's output) if it exits. */
export async function waitReady(proc, path = '/readyz', timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  let exited = false;
  proc.exited.then(() => (exited = true));
  while (Date.now() < end && !exited) {
    try {
      const res = await fetch(proc.url + path, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(150);
  }
  throw new Error(`${proc.name} not ready (${exited ? 'exited' : 'timeout'}):\n${proc.tail.join('\n')}`);
}

/** Resident set size of a process in bytes (VmRSS from /proc/<pid>/status). */
export function rssBytes(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return m ? Number(m[1]) * 1024 : NaN;
}

/** user + system CPU time of a process so far, in seconds. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
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
