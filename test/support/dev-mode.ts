import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../scripts/harness/paths.mjs';

/**
 * The environment that gives apps the test's HS256 secret. In dev mode the
 * secret is not passed as HERALD_JWT_SECRET but written where Herald keeps
 * the secret it generates for itself (`<data dir>/jwt-secret`): the apps then
 * behave as on a laptop after `npm start` (dev tokens, the demo page's test
 * hooks), while the test can still sign tokens they accept.
 */
export function jwtEnv(secret: string, devMode = false): Record<string, string> {
  if (!devMode) return { HERALD_JWT_SECRET: secret };
  const dataDir = tempDir('herald-dev-mode-');
  writeFileSync(join(dataDir, 'jwt-secret'), secret, { mode: 0o600 });
  return { HERALD_DATA_DIR: dataDir };
}
