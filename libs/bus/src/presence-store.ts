import type { ClusterStats, GatewayStats, UserPresence } from '@herald/contracts';

/** A gateway's socket count per user, for re-writing everything at once. */
export type UserCounts = () => Iterable<[userId: string, count: number]>;

/**
 * Where gateways report themselves and their users' socket counts, and where
 * the api reads stats and presence. Redis in production,
 * process memory in embedded mode. Liveness is decided by the store's own
 * clock (Redis TIME), so pods with skewed clocks still agree on who is dead.
 */
export abstract class PresenceStore {
  /**
   * Stores this gateway's report, alive for one interval (+ slack) from now.
   * Resolves true when the gateway had been dropped (or is new): its user
   * counts may be gone and the caller should `resync`.
   */
  abstract report(report: GatewayStats, intervalMs: number): Promise<boolean>;
  /** This gateway's socket count for one user; 0 removes the entry. */
  abstract setUserCount(gatewayId: string, userId: string, count: number): Promise<void>;
  /** Several users' counts at once (one round trip where the store can). */
  async setUserCounts(gatewayId: string, counts: [userId: string, count: number][]): Promise<void> {
    for (const [userId, count] of counts) await this.setUserCount(gatewayId, userId, count);
  }
  /**
   * Replaces every count of this gateway with `counts()`, read at the moment
   * the writes are queued so later per-user changes still land after them.
   */
  abstract resync(gatewayId: string, counts: UserCounts): Promise<void>;
  /** Removes the report and user counts of gateways dead for longer than `graceMs`. */
  abstract sweep(graceMs: number): Promise<number>;
  /** Graceful shutdown: the report and every user count of this gateway. */
  abstract removeGateway(gatewayId: string): Promise<void>;
  abstract stats(): Promise<ClusterStats>;
  abstract presence(userId: string): Promise<UserPresence>;
}
