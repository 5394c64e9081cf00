// 57014: a statement cancelled, by the publish pool's statement_timeout (publish-pool.ts) or an operator.
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57014', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);
// pg's and ioredis's ways of saying the server is not there right now
// (the Cluster ones: a Redis Cluster that is unreachable or has lost a
// shard; the read timeout: a statement pg stopped waiting for, publish-pool.ts).
const CONNECTION_MESSAGES =
  /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Client has encountered a connection error|Stream isn't writeable|Connection is closed|Reached the max retries per request|Cluster isn't ready|None of startup nodes is available|Too many Cluster redirections|CLUSTERDOWN|Query read timeout/i;

/** True for errors that mean Postgres or Redis cannot be reached right now (→ 503). */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: string; driverError?: { code?: string; message?: string } };
  const code = e.code ?? e.driverError?.code;
  if (code && CONNECTION_CODES.has(code)) return true;
  return CONNECTION_MESSAGES.test(e.message) || CONNECTION_MESSAGES.test(e.driverError?.message ?? '');
}
