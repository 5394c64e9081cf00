import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_DIR, DIST_MAIN } from '../../scripts/harness/paths.mjs';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const CLI = join(DIST_DIR, DIST_MAIN.cli);

/**
 * `npm run herald -- <args>` as a real process: the built CLI with only
 * `env` (and PATH), bounded to 30 s.
 */
export function herald(args: string[], env: Record<string, string>): Promise<CliResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: \`npm test\` builds it first (pretest)`);
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `keys create` that must succeed: the printed key. */
export async function createKey(env: Record<string, string>, name: string, scopes: string[]): Promise<string> {
  const res = await herald(['keys', 'create', '--name', name, ...scopes.flatMap((s) => ['--scope', s])], env);
  if (res.code !== 0) throw new Error(`keys create exited ${res.code}: ${res.stderr}`);
  return res.stdout.trim();
}
