import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAIN = join(process.cwd(), 'dist/apps/embedded/src/main.js');

/** The built embedded process (`npm start`) in a fresh directory, with only the environment given. */
export class EmbeddedProcess {
  output = '';
  readonly dir = mkdtempSync(join(tmpdir(), 'herald-embedded-'));
  private child: ChildProcess | undefined;

  /** Starts it and waits until `ready()` says so (60 s at most). */
  async start(env: Record<string, string>, ready: (p: EmbeddedProcess) => Promise<boolean> | boolean): Promise<void> {
    if (!existsSync(MAIN)) throw new Error('dist/ is missing: `npm test` builds it first (pretest)');
    const child = (this.child = spawn(process.execPath, [MAIN], { cwd: this.dir, env: { PATH: process.env.PATH ?? '', ...env } }));
    child.stdout?.on('data', (d) => (this.output += d));
    child.stderr?.on('data', (d) => (this.output += d));
    const deadline = Date.now() + 60_000;
    while (!(await ready(this))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`embedded mode did not start:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
