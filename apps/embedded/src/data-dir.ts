import { chmodSync, mkdirSync } from 'node:fs';
import type { HeraldConfig } from '@herald/config';

/**
 * The embedded state (PGlite's files, the dev secret) lives in the data dir:
 * create it if it is missing, and keep it to this user (0700), whatever the
 * umask made of it, since PGlite writes its files world-readable.
 */
export function prepareDataDir(config: Pick<HeraldConfig, 'database'>): void {
  if (config.database.url) return; // real Postgres: PGlite's files are not ours to keep
  mkdirSync(config.database.dataDir, { recursive: true, mode: 0o700 });
  chmodSync(config.database.dataDir, 0o700);
}
