import type { IncomingMessage } from 'node:http';
import { MAX_RECENT, type TopicSubscription } from '@herald/contracts';
import { parseTopicsParam } from '../topics/topic-frames.js';

/** What a client asked for in its upgrade request. */
export interface HandshakeRequest {
  token?: string;
  ticket?: string;
  origin?: string;
  since?: number;
  recent: number;
  /** `?topics=`: topics to subscribe to once welcomed. */
  topics?: TopicSubscription[];
  /** Set when a query parameter is malformed. */
  invalid?: string;
}

const SEQ = /^\d{1,15}$/;

/** Reads credentials and resume parameters from the upgrade request. */
export function parseHandshake(req: IncomingMessage): HandshakeRequest {
  const url = new URL(req.url ?? '/', 'http://gateway.invalid');
  const q = url.searchParams;
  const auth = req.headers.authorization;
  const bearer = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
  const result: HandshakeRequest = {
    token: bearer || q.get('token') || undefined,
    ticket: q.get('ticket') || undefined,
    origin: req.headers.origin,
    recent: 0,
  };
  const since = q.get('since');
  if (since !== null) {
    if (!SEQ.test(since)) return { ...result, invalid: 'since must be a non-negative integer' };
    result.since = Number(since);
  }
  const recent = q.get('recent');
  if (recent !== null) {
    if (!/^\d{1,2}$/.test(recent) || Number(recent) > MAX_RECENT) return { ...result, invalid: `recent must be 0-${MAX_RECENT}` };
    result.recent = Number(recent);
  }
  const topics = q.get('topics');
  if (topics !== null) {
    const parsed = parseTopicsParam(topics);
    if (typeof parsed === 'string') return { ...result, invalid: parsed };
    result.topics = parsed;
  }
  return result;
}

/**
 * Exact match against the allow list; an empty list allows any origin.
 * No prefix or suffix matching, so `https://app.example.com.evil.test` and
 * `null` never pass for `https://app.example.com`.
 */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true;
  if (origin === undefined) return true; // not a browser: servers send no Origin
  return allowed.includes(origin);
}
