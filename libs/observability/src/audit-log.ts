import type { IncomingHttpHeaders } from 'node:http';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { Logger as Pino } from 'pino';

/** What an authentication event is. */
export const AuditEvent = {
  SocketAccepted: 'socket.accepted',
  SocketRefused: 'socket.refused',
  /** A 401 or 403 from the HTTP guard. */
  HttpRefused: 'http.refused',
} as const;
export type AuditEvent = (typeof AuditEvent)[keyof typeof AuditEvent];

/**
 * One audit line. Never a credential: no token, ticket, key or any part of
 * one. `origin` and `userAgent` are what the client sent, cut to 200
 * characters.
 */
export interface AuditEntry {
  event: AuditEvent;
  /** The client address (ClientAddress: the peer, or X-Forwarded-For behind a trusted proxy). */
  ip: string;
  origin?: string;
  userAgent?: string;
  /** The token's `sub`, once a credential was verified. */
  user?: string;
  /** `service` for a token with a service scope. */
  principal?: 'user' | 'service';
  /** Why it was refused: a stable label (the metric's, or the error code). */
  reason?: string;
  /** The close code of a socket, or the HTTP status. */
  code?: number;
  method?: string;
  /** The request path, credentials in the query masked. */
  path?: string;
}

const MAX_TEXT = 200;

/** Origin and user agent of a request, as the audit log keeps them. */
export function clientHeaders(headers: IncomingHttpHeaders): Pick<AuditEntry, 'origin' | 'userAgent'> {
  return { origin: cut(headers.origin), userAgent: cut(headers['user-agent']) };
}

const cut = (value: string | undefined) => (value === undefined ? undefined : value.slice(0, MAX_TEXT));

/**
 * Authentication events as JSON lines on a child of the process's pino
 * logger bound to `"log":"audit"`, so an operator can route them apart
 * (grep, a Loki/Elastic pipeline on that field). They are written at info:
 * the default LOG_LEVEL keeps them, `warn` and above drop them.
 */
@Injectable()
export class AuditLog {
  private logger: Pino | undefined;

  record(entry: AuditEntry): void {
    // The root exists once nestjs-pino's logger is built, which is before
    // any request or socket can arrive.
    this.logger ??= PinoLogger.root?.child({ log: 'audit' });
    this.logger?.info(entry, entry.event);
  }
}
