// Child processes of a harness: spawned with their output kept for error
// messages, stopped within a grace period, and registered so that an error,
// a signal or a deadline can still take down exactly the ones it started.
import { spawn } from 'node:child_process';

/** How much of a child's output spawnNode keeps by default. */
const KEEP_CHARS = 64 * 1024;

/** Every tracked child still running. */
const children = new Set();
let exitHooked = false;

/**
 * Registers `child` until it exits. While any is registered, this process's
 * exit kills them (`killSignal`, default SIGKILL; nginx wants SIGTERM so that
 * its master takes its workers along).
 */
export function track(child, name, { killSignal = 'SIGKILL' } = {}) {
  const entry = { child, name, killSignal };
  children.add(entry);
  if (!exitHooked) {
    process.on('exit', killAllSync);
    exitHooked = true;
  }
  child.once('exit', () => {
    children.delete(entry);
    if (children.size === 0 && exitHooked) {
      process.off('exit', killAllSync);
      exitHooked = false;
    }
  });
  return child;
}

/** Last resort (process exit, Ctrl-C, a watchdog): signals every tracked child at once. */
export function killAllSync() {
  for (const { child, killSignal } of children) {
    try {
      child.kill(killSignal);
    } catch {
      // already gone
    }
  }
}

/** `name(pid)` of every tracked child still running. */
export const liveChildren = () => [...children].map(({ child, name }) => `${name}(${child.pid})`);

const hasExited = (child) => child.exitCode !== null || child.signalCode !== null;

/**
 * Sends `signal` (default SIGTERM) and resolves with { code, signal, killed }
 * once the child is gone; one still running after `graceMs` (default 5000)
 * is SIGKILLed (killed: true), as the kubelet does at the end of
 * terminationGracePeriodSeconds.
 */
export async function stopChild(child, signal = 'SIGTERM', graceMs = 5000) {
  if (hasExited(child)) return { code: child.exitCode, signal: child.signalCode, killed: false };
  const exited = new Promise((resolve) => child.once('exit', (code, exitSignal) => resolve({ code, signal: exitSignal })));
  child.kill(signal);
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, graceMs);
  const exit = await exited;
  clearTimeout(timer);
  return { ...exit, killed };
}

/**
 * Spawns `node [execArgv] script` with exactly `env`, tracked as `name`.
 * stdout and stderr are kept (the last `keepChars`, default 64 KiB) for
 * error messages and log checks, not printed. `exited` resolves with
 * { code, signal }.
 */
export function spawnNode(script, { name, env, cwd, execArgv = [], keepChars = KEEP_CHARS }) {
  const child = spawn(process.execPath, [...execArgv, script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  track(child, name);
  let output = '';
  const keep = (chunk) => (output = (output + chunk.toString()).slice(-keepChars));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => output, running: () => !hasExited(child) };
}
