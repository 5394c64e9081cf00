// Fails fast, with the fix, when the services the e2e tests need are down.
// Plain JS: Jest loads global setup outside its transform pipeline.
import { unreachableServices } from '../../scripts/harness/services.mjs';

export default async function globalSetup() {
  const missing = await unreachableServices(2000);
  if (missing.length) {
    throw new Error(`Tests need ${missing.join(' and ')}. Start them (see .ci/run) or set HERALD_TEST_DATABASE_URL / HERALD_TEST_REDIS_URL.`);
  }
}
