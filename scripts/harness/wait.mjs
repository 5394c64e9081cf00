// Waiting without hanging: a sleep, and polls that are bounded in time and
// in count, for the test support, the bench and the scale rehearsal alike.

/** A poll never runs more often than this, whatever the clock does. */
const MAX_POLLS = 100_000;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `check` every `intervalMs` (default 100) until it returns a truthy
 * value or `timeoutMs` has passed; resolves with that value, or undefined
 * on timeout. `check` runs at least once.
 */
export async function pollUntil(check, { timeoutMs, intervalMs = 100 }) {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < MAX_POLLS; i++) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) break;
    await sleep(intervalMs);
  }
  return undefined;
}

/**
 * pollUntil that fails: rejects with "timed out waiting for <what>"
 * (default "condition") once `timeoutMs` has passed.
 */
export async function waitUntil(check, { timeoutMs, intervalMs = 100, what = 'condition' }) {
  const value = await pollUntil(check, { timeoutMs, intervalMs });
  if (!value) throw new Error(`timed out waiting for ${what} (${timeoutMs} ms)`);
  return value;
}

/**
 * Retries `check` every `intervalMs` (default 25) until it stops throwing
 * (an expectation that passes); rethrows its last failure after `timeoutMs`
 * (default 5000).
 */
export async function eventually(check, timeoutMs = 5000, intervalMs = 25) {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; ; i++) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline || i >= MAX_POLLS) throw error;
      await sleep(intervalMs);
    }
  }
}
