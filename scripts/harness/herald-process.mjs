// One built Herald process (`node dist/apps/<kind>/src/main.js`) on a fixed
// loopback port, so that it can be killed for real and started again where
// clients expect it. The test support and the scale rehearsal run theirs
// through this; the bench adds its reference server and inspector ports
// (bench/lib/procs.mjs).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnNode, stopChild } from './child-processes.mjs';
import { answersOk } from './network.mjs';
import { DIST_DIR, DIST_MAIN, repoPath } from './paths.mjs';
import { pollUntil } from './wait.mjs';

/**
 * Preloaded (`node --import`) into every Herald process a harness starts:
 * main.ts calls listen(PORT), which binds every interface, and harnesses
 * stay on loopback.
 */
export const LOOPBACK_PRELOAD = repoPath('scripts/harness/loopback-only.mjs');
/** How much of the output start-up errors show. */
const MESSAGE_TAIL = 8000;

export class HeraldProcess {
  /** Set by start(), in ms after its `t0`. */
  startedAt;
  readyAt;
  exitedAt;
  /** { code, signal } once it exited. */
  exit;
  spawned = null;

  /**
   * @param kind 'api' | 'gateway' | 'worker'
   * @param o.port its loopback port; o.env its whole environment (plus PATH, PORT and
   *   HERALD_METRICS_PORT); o.cwd where it runs; o.name in messages (default: kind);
   *   o.keepChars of output kept (default 64 KiB); o.metricsPort its metrics listener's
   *   loopback port (default 0: none, so that processes on one host never fight over
   *   the default metrics ports)
   */
  constructor(kind, { port, env, cwd, name = kind, keepChars, metricsPort = 0 }) {
    Object.assign(this, { kind, port, env, cwd, name, keepChars, metricsPort });
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Its metrics listener; undefined without a metricsPort. */
  get metricsUrl() {
    return this.metricsPort ? `http://127.0.0.1:${this.metricsPort}` : undefined;
  }

  get wsUrl() {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  get child() {
    return this.spawned?.child ?? null;
  }

  get running() {
    return Boolean(this.spawned?.running());
  }

  /** What the process printed (the last keepChars), for failure messages and log checks. */
  output() {
    return this.spawned?.output() ?? '';
  }

  tail(chars = 4000) {
    return this.output().slice(-chars);
  }

  /**
   * Spawns the process and resolves once `/readyz` answers 200; rejects,
   * with its output, when it exits first or is not ready after `timeoutMs`
   * (default 30 s). Times are taken relative to `t0` (default 0).
   */
  async start({ timeoutMs = 30_000, t0 = 0 } = {}) {
    if (this.running) throw new Error(`${this.name} on ${this.port} is already running`);
    const entry = join(DIST_DIR, DIST_MAIN[this.kind]);
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` (npm test, npm run bench and npm run scale-rehearsal do it first)`);
    const spawned = spawnNode(entry, {
      name: this.name,
      env: { PATH: process.env.PATH ?? '', ...this.env, PORT: String(this.port), HERALD_METRICS_PORT: String(this.metricsPort) },
      cwd: this.cwd,
      execArgv: ['--import', LOOPBACK_PRELOAD],
      keepChars: this.keepChars,
    });
    this.spawned = spawned;
    this.startedAt = performance.now() - t0;
    this.readyAt = this.exitedAt = this.exit = undefined;
    void spawned.exited.then((exit) => {
      this.exitedAt = performance.now() - t0;
      this.exit = exit;
    });
    const outcome = await pollUntil(async () => (!spawned.running() ? 'exited' : (await answersOk(this.port, '/readyz')) && 'ready'), { timeoutMs, intervalMs: 100 });
    if (outcome === 'ready') {
      this.readyAt = performance.now() - t0;
      return;
    }
    const why = outcome === 'exited' ? 'exited during start-up' : `not ready after ${timeoutMs} ms`;
    throw new Error(`${this.name} ${why}:\n${this.tail(MESSAGE_TAIL)}`);
  }

  /**
   * Sends `signal` (default SIGKILL: a crash, no drain) and resolves with
   * { code, signal, killed } once the process is gone; one still alive after
   * `graceMs` (default 5000) is SIGKILLed (killed: true).
   */
  async stop(signal = 'SIGKILL', graceMs = 5000) {
    if (!this.spawned) return { code: null, signal: null, killed: false };
    return stopChild(this.spawned.child, signal, graceMs);
  }

  /** Kills the process (default SIGKILL) and starts a fresh one on the same port. */
  async restart(signal = 'SIGKILL') {
    await this.stop(signal);
    await this.start();
  }
}
