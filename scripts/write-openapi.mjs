// `npm run openapi`: writes docs/openapi.json, the committed copy of the
// OpenAPI document the api serves at /openapi.json. It boots the built api
// (dist/, so run after `npm run build`; the npm script does) on an embedded
// PGlite in a temporary directory and an in-process bus, asks it for
// /openapi.json over loopback, and writes that answer, pretty-printed.
// test/openapi.e2e-spec.ts fails when the committed file and the app differ.
//
// The configuration is fixed here, never read from the caller's environment,
// so the file comes out the same on every machine.
import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'docs/openapi.json');
const dist = (path) => import(join(root, 'dist', path));

const { loadConfig } = await dist('libs/config/src/index.js');
const { createApiApp } = await dist('apps/api/src/create-api-app.js');

const dataDir = mkdtempSync(join(tmpdir(), 'herald-openapi-'));
try {
  const config = loadConfig({
    defaultPort: 0,
    env: {
      NODE_ENV: 'development',
      HERALD_DATA_DIR: dataDir,
      HERALD_JWT_SECRET: 'openapi-generation-only-'.padEnd(32, '0'),
      HERALD_RETENTION_INTERVAL_MS: '0',
      LOG_LEVEL: 'silent',
    },
  });
  const app = await createApiApp(config);
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address();
    const res = await fetch(`http://127.0.0.1:${port}/openapi.json`);
    if (!res.ok) throw new Error(`GET /openapi.json answered ${res.status}`);
    writeFileSync(out, `${JSON.stringify(await res.json(), null, 2)}\n`);
  } finally {
    await app.close();
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
process.stdout.write(`wrote ${out.slice(root.length)}\n`);
