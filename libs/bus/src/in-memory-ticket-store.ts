import { newTicket, TicketStore, tooManyTickets, type TicketGrant, type TicketStoreLimits } from './ticket-store.js';

/** Unused tickets one embedded process keeps at most; the oldest goes first beyond it. */
export const MAX_TICKETS_IN_MEMORY = 100_000;

interface Entry {
  grant: TicketGrant;
  expiresAt: number;
}

/**
 * Embedded mode's tickets, in this process. Issue and consume are O(1)
 * (amortized): the map keeps issue order, so lapsed tickets are dropped from
 * its front until the first live one rather than by a sweep of the whole
 * map. Bounded twice: `maxPerUser` per user, MAX_TICKETS_IN_MEMORY in all
 * (the oldest is dropped for a new one: tickets are used within moments of
 * being issued, so the oldest is the one least likely still wanted).
 */
export class InMemoryTicketStore extends TicketStore {
  private readonly tickets = new Map<string, Entry>();
  private readonly perUser = new Map<string, number>();

  constructor(
    private readonly limits: TicketStoreLimits & { maxTickets?: number },
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  /** Tickets held now, lapsed ones not yet dropped included. */
  get size(): number {
    return this.tickets.size;
  }

  async issue(grant: TicketGrant, ttlSeconds: number): Promise<string> {
    const now = this.now();
    this.dropLapsed(now);
    if ((this.perUser.get(grant.userId) ?? 0) >= this.limits.maxPerUser) throw tooManyTickets(ttlSeconds);
    if (this.tickets.size >= (this.limits.maxTickets ?? MAX_TICKETS_IN_MEMORY)) this.drop(this.tickets.keys().next().value as string);
    const ticket = newTicket();
    this.tickets.set(ticket, { grant, expiresAt: now + ttlSeconds * 1000 });
    this.perUser.set(grant.userId, (this.perUser.get(grant.userId) ?? 0) + 1);
    return ticket;
  }

  async consume(ticket: string): Promise<TicketGrant | null> {
    const entry = this.drop(ticket);
    return entry && entry.expiresAt > this.now() ? entry.grant : null;
  }

  /** From the front (oldest issued) up to the first live ticket. */
  private dropLapsed(now: number): void {
    for (const [ticket, entry] of this.tickets) {
      if (entry.expiresAt > now) return;
      this.drop(ticket);
    }
  }

  private drop(ticket: string): Entry | undefined {
    const entry = this.tickets.get(ticket);
    if (!entry) return undefined;
    this.tickets.delete(ticket);
    const left = (this.perUser.get(entry.grant.userId) ?? 1) - 1;
    if (left > 0) this.perUser.set(entry.grant.userId, left);
    else this.perUser.delete(entry.grant.userId);
    return entry;
  }
}
