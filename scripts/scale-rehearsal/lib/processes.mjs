// The built Herald processes (`node dist/apps/<kind>/src/main.js`), each on
// its own loopback port, and a registry of every child the script started so
// that an error, SIGINT or the deadline can still take them all down.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { get } from 'node:http';
import { fileURLToPath } from 'node:url';
import { ROOT, sleep } from './util.mjs';

const ENTRY = { api: 'dist/apps/api/src/main.js', gateway: 'dist/apps/gateway/src/main.js' };
const PRELOAD = fileURLToPath(new URL('../loopback-only.mjs', import.meta.url));
/** How much of a child's output to keep for error messages. */
const OUTPUT_TAIL = 64 * 1024;

/** Every child process alive, by pid, with how to kill it synchronously. */
const children = new Map();

export function track(child, name) {
  children.set(child.pid, { child, name });
  child.once('exit', () => children.delete(child.pid));
}

/** Last resort (process exit): SIGKILL every child still running; nginx gets SIGTERM so that its master takes its workers along. */
export function killAllSync() {
  for (const { child, name } of children.values()) {
    try {
      child.kill(name === 'nginx' ? 'SIGTERM' : 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export const liveChildren = () => [...children.values()].map(({ child, name }) => `${name}(${child.pid})`);

/** GET a path on loopback; resolves { status, body } or rejects; never hangs past timeoutMs. */
export function httpGet(port, path, timeoutMs = 1000) {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
  });
}

export class HeraldProcess {
  child = null;
  log = '';
  startedAt;
  readyAt;
  exitedAt;
  exit;

  /**
   * @param {'api'|'gateway'} kind
   * @param {string} name e.g. gw2
   */
  constructor(kind, name, port, env, cwd) {
    Object.assign(this, { kind, name, port, env, cwd });
  }

  get running() {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  tail(chars = 4000) {
    return this.log.slice(-chars);
  }

  /** Spawns the process and resolves once `/readyz` answers 200. */
  async start(t0, timeoutMs = 30_000) {
    const entry = fileURLToPath(new URL(ENTRY[this.kind], ROOT));
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\``);
    const child = spawn(process.execPath, ['--import', PRELOAD, entry], {
      cwd: this.cwd,
      env: { PATH: process.env.PATH ?? '', ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.startedAt = performance.now() - t0;
    track(child, this.name);
    const keep = (chunk) => (this.log = (this.log + chunk.toString()).slice(-OUTPUT_TAIL));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitedAt = performance.now() - t0;
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; i < 10_000; i++) {
      if (!this.running) throw new Error(`${this.name} exited during start-up:\n${this.tail()}`);
      const ready = await httpGet(this.port, '/readyz', 1000).then((r) => r.status === 200, () => false);
      if (ready) {
        this.readyAt = performance.now() - t0;
        return;
      }
      if (Date.now() > deadline) throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.tail()}`);
      await sleep(100);
    }
  }

  /**
   * Sends `signal` and resolves with { code, signal, killed } once the process
   * is gone; one still running after `graceMs` is SIGKILLed (killed: true),
   * as the kubelet does at the end of terminationGracePeriodSeconds.
   */
  async stop(signal, graceMs) {
    if (!this.running) return { ...this.exit, killed: false };
    const child = this.child;
    child.kill(signal);
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return { ...exit, killed };
  }
}
