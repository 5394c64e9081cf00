// Builds every app and lib into dist/ in one tsc pass, rewrites the @herald/*
// aliases into relative ESM paths so `node dist/...` runs as-is, then bundles
// the client SDK (dist/client) that the demo page serves.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { stdio: 'inherit' });
execFileSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json', '--resolve-full-paths'], { stdio: 'inherit' });
execFileSync(process.execPath, [new URL('./build-client.mjs', import.meta.url).pathname], { stdio: 'inherit' });
