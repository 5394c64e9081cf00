// Where things are: the repository, the built entry points, and scratch
// directories outside the tree.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, ending in a separator. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A path inside the repository. */
export const repoPath = (relative) => join(REPO_ROOT, relative);

/** The built entry points, relative to a dist/ directory. */
export const DIST_MAIN = {
  api: 'apps/api/src/main.js',
  gateway: 'apps/gateway/src/main.js',
  worker: 'apps/worker/src/main.js',
  migrate: 'libs/database/src/migrate.js',
  cli: 'apps/cli/src/main.js',
};

/** `npm run build`'s output. */
export const DIST_DIR = repoPath('dist');

/**
 * A fresh directory under the system's temp dir, named `<stem>-XXXXXX`.
 * `mode` (default: mkdtemp's 0700) widens it, e.g. 0o755 for nginx workers
 * that run as nobody when the harness runs as root.
 */
export function tempDir(stem, { mode } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `${stem}-`));
  if (mode !== undefined) chmodSync(dir, mode);
  return dir;
}

/** Removes a directory and everything in it; one that is gone already is fine. */
export const removeDir = (dir) => rmSync(dir, { recursive: true, force: true });
