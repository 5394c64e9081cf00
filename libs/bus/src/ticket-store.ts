import { randomBytes } from 'node:crypto';
import type { RedisClient } from './redis-client.js';
import type { RedisConnection } from './redis-connection.js';

/** What a ticket stands for: a user, until the token it was issued with expires. */
export interface TicketGrant {
  userId: string;
  /** Expiry of the token the ticket was exchanged for, seconds since the epoch. */
  tokenExp: number;
  /** The topic grants of that token (its `topics` claim), for the socket's subscribes; absent: none. */
  topics?: readonly string[];
}

/**
 * Single-use WebSocket tickets: the browser exchanges its token
 * for one over HTTPS and opens the socket with `?ticket=`, so no long-lived
 * token sits in a URL. Consumption is atomic: a ticket opens one socket.
 */
export abstract class TicketStore {
  abstract issue(grant: TicketGrant, ttlSeconds: number): Promise<string>;
  /** The grant, or null when the ticket is unknown, used or stale. */
  abstract consume(ticket: string): Promise<TicketGrant | null>;
}

const newTicket = () => randomBytes(24).toString('base64url');

/** One key per ticket, so it works the same on one Redis and on a Redis Cluster. */
export class RedisTicketStore extends TicketStore {
  private readonly redis: RedisClient;
  private readonly prefix: string;

  constructor(connection: RedisConnection) {
    super();
    this.redis = connection.client;
    this.prefix = connection.prefix;
  }

  async issue(grant: TicketGrant, ttlSeconds: number): Promise<string> {
    const ticket = newTicket();
    await this.redis.set(`${this.prefix}ticket:${ticket}`, JSON.stringify(grant), 'EX', ttlSeconds, 'NX');
    return ticket;
  }

  async consume(ticket: string): Promise<TicketGrant | null> {
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(ticket)) return null;
    const raw = await this.redis.getdel(`${this.prefix}ticket:${ticket}`);
    return raw ? (JSON.parse(raw) as TicketGrant) : null;
  }
}

export class InMemoryTicketStore extends TicketStore {
  private readonly tickets = new Map<string, { grant: TicketGrant; expiresAt: number }>();

  async issue(grant: TicketGrant, ttlSeconds: number): Promise<string> {
    const ticket = newTicket();
    this.tickets.set(ticket, { grant, expiresAt: Date.now() + ttlSeconds * 1000 });
    this.sweep();
    return ticket;
  }

  async consume(ticket: string): Promise<TicketGrant | null> {
    const entry = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    return entry && entry.expiresAt > Date.now() ? entry.grant : null;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [t, e] of this.tickets) if (e.expiresAt <= now) this.tickets.delete(t);
  }
}
