import { randomBytes } from 'node:crypto';
import { RateLimitedError } from '@herald/errors';

/** What a ticket stands for: a user, until the token it was issued with expires. */
export interface TicketGrant {
  userId: string;
  /** Expiry of the token the ticket was exchanged for, seconds since the epoch. */
  tokenExp: number;
  /** The topic grants of that token (its `topics` claim), for the socket's subscribes; absent: none. */
  topics?: readonly string[];
}

/** Bounds of a ticket store. */
export interface TicketStoreLimits {
  /** Issued and not yet used tickets one user may hold (HERALD_MAX_TICKETS_PER_USER). */
  maxPerUser: number;
}

/**
 * Single-use WebSocket tickets: the browser exchanges its token
 * for one over HTTPS and opens the socket with `?ticket=`, so no long-lived
 * token sits in a URL. Consumption is atomic: a ticket opens one socket.
 * A user holds at most `maxPerUser` unused tickets: a script minting
 * tickets it never uses fills nothing but its own allowance.
 */
export abstract class TicketStore {
  /** A new ticket; RateLimitedError when the user already holds `maxPerUser` unused ones. */
  abstract issue(grant: TicketGrant, ttlSeconds: number): Promise<string>;
  /** The grant, or null when the ticket is unknown, used or stale. */
  abstract consume(ticket: string): Promise<TicketGrant | null>;
}

export const newTicket = () => randomBytes(24).toString('base64url');

/** A ticket is 32 base64url characters; anything else cannot be one (and is never looked up). */
export const isTicketShaped = (ticket: string) => /^[A-Za-z0-9_-]{16,64}$/.test(ticket);

/** The answer when a user's unused tickets reach the cap: retry once the oldest has lapsed. */
export const tooManyTickets = (ttlSeconds: number) => new RateLimitedError('too many unused socket tickets for this user', ttlSeconds);
