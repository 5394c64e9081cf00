import type { ClusterStats, GatewayStats, UserPresence } from '@herald/contracts';
import { liveWindowMs, presenceFrom, summarize } from './presence-liveness.js';
import { PresenceStore, type UserCounts } from './presence-store.js';

/** Embedded mode (no REDIS_URL): one process, so the whole cluster is this map. */
export class InMemoryPresenceStore extends PresenceStore {
  private readonly reports = new Map<string, { report: GatewayStats; aliveUntil: number }>();
  private readonly counts = new Map<string, Map<string, number>>();

  /** `now` is injectable so liveness can be tested without waiting. */
  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  async report(report: GatewayStats, intervalMs: number): Promise<boolean> {
    const isNew = !this.reports.has(report.id);
    this.reports.set(report.id, { report: { ...report }, aliveUntil: this.now() + liveWindowMs(intervalMs) });
    return isNew;
  }

  async setUserCount(gatewayId: string, userId: string, count: number): Promise<void> {
    let byGateway = this.counts.get(userId);
    if (count > 0) {
      if (!byGateway) this.counts.set(userId, (byGateway = new Map()));
      byGateway.set(gatewayId, count);
      return;
    }
    byGateway?.delete(gatewayId);
    if (byGateway?.size === 0) this.counts.delete(userId);
  }

  async resync(gatewayId: string, counts: UserCounts): Promise<void> {
    this.dropCounts(gatewayId);
    for (const [userId, count] of counts()) await this.setUserCount(gatewayId, userId, count);
  }

  async sweep(graceMs: number): Promise<number> {
    const cutoff = this.now() - graceMs;
    const dead = [...this.reports].filter(([, r]) => r.aliveUntil < cutoff).map(([id]) => id);
    for (const id of dead) await this.removeGateway(id);
    return dead.length;
  }

  async removeGateway(gatewayId: string): Promise<void> {
    this.reports.delete(gatewayId);
    this.dropCounts(gatewayId);
  }

  async stats(): Promise<ClusterStats> {
    const now = this.now();
    return summarize([...this.reports.values()].filter((r) => r.aliveUntil > now).map((r) => ({ ...r.report })));
  }

  async presence(userId: string): Promise<UserPresence> {
    return presenceFrom(Object.fromEntries(this.counts.get(userId) ?? []), this.liveIds());
  }

  private liveIds(): Set<string> {
    const now = this.now();
    return new Set([...this.reports].filter(([, r]) => r.aliveUntil > now).map(([id]) => id));
  }

  private dropCounts(gatewayId: string): void {
    for (const [userId, byGateway] of this.counts) {
      byGateway.delete(gatewayId);
      if (byGateway.size === 0) this.counts.delete(userId);
    }
  }
}
