import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** Absolute path of the repository root. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const repoPath = (...parts: string[]): string => join(repoRoot, ...parts);

export const readRepoFile = (...parts: string[]): string => readFileSync(repoPath(...parts), 'utf8');

/**
 * Every environment variable name the app reads, parsed from the keys of
 * libs/config/src/config.schema.ts (the single source of truth). Parsing the
 * text, not importing it, keeps these tests independent of the app's build.
 */
export function schemaEnvNames(): Set<string> {
  const text = readRepoFile('libs/config/src/config.schema.ts');
  return new Set([...text.matchAll(/^\s+([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]));
}

/** The command a package.json script runs, e.g. `node dist/apps/api/src/main.js`. */
export function npmScript(name: string): string {
  const pkg = JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string> };
  return pkg.scripts[name];
}
