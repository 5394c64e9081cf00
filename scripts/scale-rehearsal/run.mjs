// Herald's scale rehearsal: on one machine, what ops do in Kubernetes.
// nginx (TLS) in front of the api and of gateways that go 1 → 4 → 2, started
// and drained as real processes while wss clients stay connected and POSTs
// keep coming; then every client's received count must equal what was sent
// to its user, with no duplicate and no gap. See docs/scaling.md.
//
//   npm run scale-rehearsal                 # full: ~2000 clients, a few minutes
//   npm run scale-rehearsal -- --short      # CI: 60 clients, well under a minute
//
// Exit code 0 when everything matched, 1 otherwise, 2 on a bad argument,
// 130/143 on SIGINT/SIGTERM (after cleaning up and writing what it has).
import { existsSync } from 'node:fs';
import { NGINX_BIN } from './lib/nginx.mjs';
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
if (!existsSync(NGINX_BIN)) {
  console.error(`scale-rehearsal: ${NGINX_BIN} not found (apt-get install nginx)`);
  process.exit(1);
}
for (const entry of ['dist/apps/api/src/main.js', 'dist/apps/gateway/src/main.js', 'dist/libs/contracts/src/index.js']) {
  if (!existsSync(new URL(`../../${entry}`, import.meta.url))) {
    console.error(`scale-rehearsal: ${entry} is missing: run \`npm run build\` first (npm run scale-rehearsal does)`);
    process.exit(1);
  }
}

const { main } = await import('./lib/rehearsal.mjs');
process.exit(await main(options));
