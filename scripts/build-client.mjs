// Builds the client SDK (libs/client) into dist/client:
//   herald-client.js   ESM browser bundle, minified, with a source map
//   herald-client.cjs  CommonJS for Node (pass `WebSocket` from `ws`)
//   herald-client.d.ts type declarations (emitted by tsc under types/)
// and prints the bundle sizes. Run after `npm run build`, which empties dist/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'dist/client');
const entry = join(root, 'libs/client/src/index.ts');
const tsconfig = join(root, 'tsconfig.json'); // its `paths` resolve @herald/contracts

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const common = { entryPoints: [entry], bundle: true, tsconfig, legalComments: 'none', logLevel: 'warning' };

// es2020: syntax every evergreen browser of the last few years runs.
await build({
  ...common,
  outfile: join(outDir, 'herald-client.js'),
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  sourcemap: true,
});
await build({
  ...common,
  outfile: join(outDir, 'herald-client.cjs'),
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
});

emitDeclarations();
report(['herald-client.js', 'herald-client.cjs']);

/** tsc cannot take `paths` on the command line, so a throwaway config extends the root one. */
function emitDeclarations() {
  const typesDir = join(outDir, 'types');
  const config = join(outDir, 'tsconfig.types.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: relative(outDir, tsconfig),
      compilerOptions: {
        rootDir: relative(outDir, root),
        outDir: 'types',
        declaration: true,
        emitDeclarationOnly: true,
        sourceMap: false,
        types: ['node'],
      },
      files: [relative(outDir, entry)],
      include: [],
    }),
  );
  try {
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', config], { stdio: 'inherit' });
  } finally {
    rmSync(config);
  }
  // Consumers have no @herald/* alias: point it at the emitted contracts.
  const contracts = join(typesDir, 'libs/contracts/src/index.js');
  for (const file of walk(join(typesDir, 'libs/client/src'))) {
    const target = relative(dirname(file), contracts);
    const text = readFileSync(file, 'utf8').replaceAll("'@herald/contracts'", `'./${target}'`);
    writeFileSync(file, text.replaceAll("'./../", "'../"));
  }
  writeFileSync(join(outDir, 'herald-client.d.ts'), "export * from './types/libs/client/src/index.js';\n");
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function report(files) {
  for (const name of files) {
    const bytes = readFileSync(join(outDir, name));
    const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
    const gzipped = gzipSync(bytes).length;
    console.log(`dist/client/${name}: ${kb(bytes.length)} (${bytes.length} B), gzipped ${kb(gzipped)} (${gzipped} B)`);
  }
}
