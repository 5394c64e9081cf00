import type { ClusterStats, GatewayStats, UserPresence } from '@herald/contracts';

/** Least slack a reader grants a late report (timer jitter, a GC pause, one round trip). */
const MIN_SLACK_MS = 200;

/**
 * How long after a report its gateway still counts as alive: one report
 * interval plus a small slack, so a gateway that stops reporting drops out
 * of stats and presence within about one interval, while a live one that
 * reports a little late does not flap.
 */
export function liveWindowMs(intervalMs: number): number {
  return intervalMs + Math.max(MIN_SLACK_MS, Math.round(intervalMs / 5));
}

/**
 * Ids whose alive-until score (from `ZRANGE … WITHSCORES`, a flat
 * `[member, score, …]` list) is still ahead of `now`.
 */
export function liveIds(withScores: string[], now: number): Set<string> {
  const live = new Set<string>();
  for (let i = 0; i + 1 < withScores.length; i += 2) {
    if (Number(withScores[i + 1]) > now) live.add(withScores[i]);
  }
  return live;
}

/** Totals over the given live gateways, listed oldest first. */
export function summarize(reports: GatewayStats[]): ClusterStats {
  const gateways = [...reports].sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
  return {
    connections: gateways.reduce((n, g) => n + g.connections, 0),
    users: gateways.reduce((n, g) => n + g.users, 0),
    gateways,
  };
}

/** A user's sockets from their per-gateway counts, counting live gateways only. */
export function presenceFrom(countsByGateway: Record<string, string | number>, live: ReadonlySet<string>): UserPresence {
  let connections = 0;
  for (const [gatewayId, count] of Object.entries(countsByGateway)) {
    if (live.has(gatewayId)) connections += Math.max(0, Number(count) || 0);
  }
  return { online: connections > 0, connections };
}

/** The public part of a stored report: what `GET /v1/stats` lists. */
export function toGatewayStats(raw: unknown): GatewayStats | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.id !== 'string' || typeof r.startedAt !== 'string') return undefined;
  return { id: r.id, connections: Number(r.connections) || 0, users: Number(r.users) || 0, startedAt: r.startedAt };
}
