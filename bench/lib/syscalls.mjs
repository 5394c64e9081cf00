// System calls per operation (--syscalls): `strace -c` attached to each
// process while a phase runs. On a VM a system call costs several times
// what it costs on bare metal, so two servers doing the same work can differ
// most in how many calls they make for it. strace stops the process at every
// call, so a phase measured this way says nothing about latency or CPU: the
// counts are its only figures.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** `strace -c`'s table: `% time  seconds  usecs/call  calls  [errors]  syscall`. */
export function parseSummary(text) {
  const calls = {};
  for (const line of text.split('\n')) {
    const m = line.trim().match(/^[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?([a-z_0-9]+)$/);
    if (m && m[2] !== 'total') calls[m[2]] = Number(m[1]);
  }
  return calls;
}

/** Runs `fn` with strace counting the calls of every thread of `procs`; adds `syscalls` ({ proc: { call: n } }) to its result. */
export async function countSyscallsDuring(procs, fn) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-strace-'));
  const tracers = procs.map((p) => {
    const file = path.join(dir, `${p.name}.txt`);
    const child = spawn('strace', ['-c', '-f', '-q', '-o', file, '-p', String(p.pid)], { stdio: 'ignore' });
    return { p, file, exited: new Promise((resolve) => child.once('exit', resolve)), child };
  });
  // strace has attached to every thread once it has printed nothing for a moment; there is no signal for it.
  await new Promise((resolve) => setTimeout(resolve, 500));
  let result;
  try {
    result = await fn();
  } finally {
    for (const t of tracers) t.child.kill('SIGINT');
    await Promise.all(tracers.map((t) => t.exited));
    const syscalls = Object.fromEntries(tracers.map((t) => [t.p.name, parseSummary(readFileSync(t.file, 'utf8'))]));
    rmSync(dir, { recursive: true, force: true });
    if (result && typeof result === 'object') result.syscalls = syscalls;
  }
  return result;
}

/** The busiest calls per operation, for a log line: `epoll_wait 1.02, writev 0.98, …`. */
export function perOperation(calls, operations, top = 8) {
  const total = Object.values(calls).reduce((a, b) => a + b, 0);
  const busiest = Object.entries(calls).sort((a, b) => b[1] - a[1]).slice(0, top);
  return `${(total / operations).toFixed(2)} calls/op: ${busiest.map(([name, n]) => `${name} ${(n / operations).toFixed(2)}`).join(', ')}`;
}
