/** HealthController's routes, which orchestrators and load balancers poll every few seconds. */
export const ALIVE_PATH = '/healthz';
export const READY_PATH = '/readyz';

/** Both probes: never rate limited (a 429 on /readyz would take the pod out of its load balancer) and not logged per request. */
export const PROBE_PATHS: ReadonlySet<string> = new Set([ALIVE_PATH, READY_PATH]);

/**
 * Whether a request URL reaches a probe, as the api's router matches it:
 * any letter case, one trailing slash, any query. Read off the raw URL
 * (Fastify's routeOptions builds an object per call). Anything else the
 * router might also send to a probe (percent-encoded letters, say) is
 * simply not exempt.
 */
export function isProbeRequest(url: string): boolean {
  const query = url.indexOf('?');
  let path = query < 0 ? url : url.slice(0, query);
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return PROBE_PATHS.has(path.toLowerCase());
}
