import { createHash } from 'node:crypto';

/** Distinct statements that may be prepared; a text past this is run unprepared (the registry must not grow without bound). */
const MAX_PREPARED = 64;
const names = new Map<string, string>();

/**
 * Marks a statement of fixed text as one Postgres should prepare once per
 * connection and then only bind and execute: a named statement (`herald_`
 * + a hash of the text, so a changed text is a new statement) instead of a
 * parse and plan on every call. For hot statements whose text never varies
 * with the input (arrays travel as parameters); PGlite runs it as is.
 */
export function prepared(sql: string): string {
  if (!names.has(sql) && names.size < MAX_PREPARED) names.set(sql, `herald_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`);
  return sql;
}

/** The statement name of `sql` if it was marked with prepared(), else undefined. */
export const preparedName = (sql: string): string | undefined => names.get(sql);

/** The query config pg takes: named when the statement was marked prepared. */
export function queryConfig(sql: string, params?: unknown[]): { text: string; values?: unknown[]; name?: string } {
  const name = names.get(sql);
  return name ? { name, text: sql, values: params } : { text: sql, values: params };
}
