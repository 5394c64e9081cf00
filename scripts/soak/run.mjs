// Herald's soak: many sockets that churn and a steady stream of POSTs for a
// long time against an api and two gateways as real processes, sampling
// each process's RSS, heap and open descriptors; it passes when nothing was
// lost, duplicated or reordered and those stayed flat. See docs/benchmarks.md.
//
//   npm run soak                  # 10,000 sockets, 10 % churn a minute, 100 POST/s, 20 minutes
//   npm run soak -- --short       # CI: 1,000 sockets for 75 s (test/soak)
//
// Exit code 0 when everything held, 1 otherwise, 2 on a bad argument,
// 130/143 on SIGINT/SIGTERM (after cleaning up and writing what it has).
import { existsSync } from 'node:fs';
import { parseOptions } from './lib/options.mjs';

let options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
if (options.help) {
  console.log(options.help);
  process.exit(0);
}
for (const entry of ['dist/apps/api/src/main.js', 'dist/apps/gateway/src/main.js', 'dist/libs/contracts/src/index.js']) {
  if (!existsSync(new URL(`../../${entry}`, import.meta.url))) {
    console.error(`soak: ${entry} is missing: run \`npm run build\` first (npm run soak does)`);
    process.exit(1);
  }
}

const { main } = await import('./lib/soak.mjs');
process.exit(await main(options));
