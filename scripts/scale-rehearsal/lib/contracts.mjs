// The wire protocol's names (close codes, frame types, scopes) from the built
// @herald/contracts, so the rehearsal spells none of them as bare strings.
import { existsSync } from 'node:fs';
import { ROOT } from './util.mjs';

const entry = new URL('dist/libs/contracts/src/index.js', ROOT);
if (!existsSync(entry)) {
  throw new Error(`${entry.pathname} is missing: run \`npm run build\` first (npm run scale-rehearsal does)`);
}
const contracts = await import(entry.href);

export const { CloseCode, ServerFrameType, Scope, WS_PATH } = contracts;
