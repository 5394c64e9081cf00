// What Linux's /proc says about a process: its CPU time so far, its parent,
// its start. The bench and the scale rehearsal both weigh CPU by process.
import { readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s. */
export const TICKS_PER_SECOND = 100;

/**
 * /proc/<pid>/stat (or one thread's, /proc/<pid>/task/<tid>/stat): { comm, ppid, ticks (user + system CPU), reapedTicks
 * (the CPU of its children that exited and were waited for), start (clock ticks after boot) }. Throws once the process
 * is gone, or off Linux.
 */
export function procStat(pid, tid) {
  const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
  const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    comm,
    ppid: Number(fields[1]),
    ticks: Number(fields[11]) + Number(fields[12]),
    reapedTicks: Number(fields[13]) + Number(fields[14]),
    start: Number(fields[19]),
  };
}

/** user + system CPU time of a process so far, in seconds; throws once it is gone. */
export const cpuSeconds = (pid) => procStat(pid).ticks / TICKS_PER_SECOND;

/**
 * CPU time of a process's main thread (the event loop's, in Node) so far, in
 * seconds. What the process used beyond it went to its other threads: V8's
 * garbage collector and compiler helpers, libuv's pool.
 */
export const mainThreadCpuSeconds = (pid) => procStat(pid, pid).ticks / TICKS_PER_SECOND;
