import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Environment for apps that generate their own dev secret (no
 * HERALD_JWT_SECRET, a fresh data dir): the only mode in which Herald mints
 * tokens itself, for the demo page's dev sign-in and send form.
 */
export function devSecretEnv(): Record<string, string> {
  // An explicit undefined takes the test system's configured secret away.
  return { HERALD_JWT_SECRET: undefined as unknown as string, HERALD_DATA_DIR: mkdtempSync(join(tmpdir(), 'herald-dev-secret-')) };
}
