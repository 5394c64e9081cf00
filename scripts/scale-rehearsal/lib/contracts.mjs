// The wire protocol's names (close codes, frame types, scopes) from the built
// @herald/contracts, so the rehearsal spells none of them as bare strings.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST_DIR } from '../../harness/paths.mjs';

const entry = join(DIST_DIR, 'libs/contracts/src/index.js');
if (!existsSync(entry)) {
  throw new Error(`${entry} is missing: run \`npm run build\` first (npm run scale-rehearsal does)`);
}
const contracts = await import(pathToFileURL(entry).href);

export const { CloseCode, ServerFrameType, Scope, WS_PATH } = contracts;
