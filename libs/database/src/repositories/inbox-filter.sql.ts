import type { InboxFilter } from '@herald/contracts';
import { stateSql } from './inbox-state.sql.js';

/**
 * An InboxFilter as a WHERE fragment over alias `a`, its values appended to
 * `params` (placeholders numbered after what is there already). The same
 * rules as matchesInboxFilter in libs/contracts.
 */
export function filterSql(f: InboxFilter, params: unknown[], a = 'n'): string {
  const add = (v: unknown) => `$${params.push(v)}`;
  const parts = [stateSql(f.state ?? 'inbox', a)];
  if (f.category !== undefined) parts.push(`${a}.category = ${add(f.category)}`);
  if (f.type !== undefined) parts.push(`${a}.type = ${add(f.type)}`);
  if (f.severity !== undefined) parts.push(`${a}.severity = ${add(f.severity)}`);
  if (f.from !== undefined) parts.push(`${a}.created_at >= ${add(f.from)}::timestamptz`);
  if (f.to !== undefined) parts.push(`${a}.created_at < ${add(f.to)}::timestamptz`);
  if (f.tags?.length) parts.push(`${a}.tags ${f.tagsMatch === 'all' ? '@>' : '&&'} ${add(f.tags)}::varchar[]`);
  return parts.join(' AND ');
}
