import { INBOX_STATES, MAX_TAGS, SEVERITIES, TAG_MATCHES, type InboxFilter } from '@herald/contracts';
import { ValidationError } from '@herald/errors';

/** A category, type or tag as POST accepts them. */
export const NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
export const TAG = /^[a-z0-9][a-z0-9_.:-]{0,63}$/;
const FIELDS = new Set(['state', 'category', 'tags', 'tagsMatch', 'type', 'severity', 'from', 'to']);

/**
 * An InboxFilter from JSON (counts, bulk) or a query string (`tags` may be
 * comma separated there), checked field by field: a bad one is a 400 that
 * names `<path>.<field>`. Times come back in millisecond ISO form, the
 * precision the wire's times have, so a filter means the same on the
 * server and in a client applying a bulk change by filter.
 */
export function parseInboxFilter(raw: unknown, path: string): InboxFilter {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw ValidationError.field(path, 'must be an object');
  const r = raw as Record<string, unknown>;
  const bad = (field: string, problem: string) => ValidationError.field(`${path ? `${path}.` : ''}${field}`, problem);
  for (const key of Object.keys(r)) if (!FIELDS.has(key)) throw bad(key, 'is not a filter field');
  const f: InboxFilter = {};
  const oneOf = <T extends string>(key: string, allowed: readonly T[]): T | undefined => {
    if (r[key] === undefined) return undefined;
    if (!allowed.includes(r[key] as T)) throw bad(key, `must be one of ${allowed.join(', ')}`);
    return r[key] as T;
  };
  const name = (key: string): string | undefined => {
    if (r[key] === undefined) return undefined;
    if (typeof r[key] !== 'string' || !NAME.test(r[key] as string)) throw bad(key, `must match ${NAME.source}`);
    return r[key] as string;
  };
  const time = (key: string): string | undefined => {
    if (r[key] === undefined) return undefined;
    const ms = typeof r[key] === 'string' && /^\d{4}-\d\d-\d\dT/.test(r[key] as string) ? Date.parse(r[key] as string) : NaN;
    if (Number.isNaN(ms)) throw bad(key, 'must be an ISO 8601 time');
    return new Date(ms).toISOString();
  };
  const state = oneOf('state', INBOX_STATES);
  if (state) f.state = state;
  const category = name('category');
  if (category) f.category = category;
  const type = name('type');
  if (type) f.type = type;
  const severity = oneOf('severity', SEVERITIES);
  if (severity) f.severity = severity;
  const from = time('from');
  if (from) f.from = from;
  const to = time('to');
  if (to) f.to = to;
  if (r.tags !== undefined) {
    const tags = typeof r.tags === 'string' ? r.tags.split(',') : r.tags;
    if (!Array.isArray(tags) || tags.length < 1 || tags.length > MAX_TAGS || !tags.every((t) => typeof t === 'string' && TAG.test(t))) {
      throw bad('tags', `must be 1-${MAX_TAGS} tags, each matching ${TAG.source}`);
    }
    f.tags = [...new Set(tags as string[])];
    const match = oneOf('tagsMatch', TAG_MATCHES);
    if (match) f.tagsMatch = match;
  } else if (r.tagsMatch !== undefined) {
    oneOf('tagsMatch', TAG_MATCHES);
  }
  return f;
}
