// A database of one's own on the shared Postgres: created through the admin
// connection, reached by a URL beside it, dropped with whatever still holds
// it open.
import pg from 'pg';
import { DATABASE_ADMIN_URL } from './services.mjs';

/**
 * Runs `work` on a fresh admin connection and closes it. `connectTimeoutMs`
 * bounds the connect (default 0: as long as Postgres takes).
 */
export async function withAdmin(work, { connectTimeoutMs = 0 } = {}) {
  const client = new pg.Client({ connectionString: DATABASE_ADMIN_URL, connectionTimeoutMillis: connectTimeoutMs });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The rows of one statement on the admin connection. */
export const adminQuery = (sql, params, options) => withAdmin(async (client) => (await client.query(sql, params)).rows, options);

/** The admin URL with its database replaced by `name`. */
export function databaseUrl(name) {
  const url = new URL(DATABASE_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** CREATE DATABASE `name` (a name the caller made; never user input). */
export async function createDatabase(name, options) {
  await adminQuery(`CREATE DATABASE ${name}`, undefined, options);
}

/** DROP DATABASE IF EXISTS `name` WITH (FORCE): the connections still open to it are ended. */
export async function dropDatabase(name, options) {
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, undefined, options);
}
