/** HealthController's routes, which orchestrators and load balancers poll every few seconds. */
export const ALIVE_PATH = '/healthz';
export const READY_PATH = '/readyz';

/** Both probes: never rate limited (a 429 on /readyz would take the pod out of its load balancer) and not logged per request. */
export const PROBE_PATHS: ReadonlySet<string> = new Set([ALIVE_PATH, READY_PATH]);
