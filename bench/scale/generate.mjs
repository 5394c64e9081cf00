// Builds an inbox of `users` x `perUser` notifications straight in SQL
// (generate_series, not through the api), the shape ingest leaves: one
// statement per seq so rows are laid down in time order, created_at spread
// over the last 50 days (several monthly partitions, made first as the api
// would have), half of each user's rows read, none seen, archived or
// snoozed, user_states' counters matching.
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { DIST_DIR } from '../../scripts/harness/paths.mjs';
import { orderedIdSql } from '../lib/ordered-id-sql.mjs';
import { log } from '../lib/util.mjs';

const SPREAD_DAYS = 50;
const DATA = JSON.stringify({ k: 'x'.repeat(92) }); // ~100 bytes, as the POSTs

const dist = (file) => import(pathToFileURL(path.join(DIST_DIR, 'libs/database/src', file)).href);

/** Monthly partitions over the spread, made by Herald's own PartitionsRepository (the api makes later ones). */
async function makePartitions(exec) {
  const { PartitionsRepository } = await dist('repositories/partitions.repository.js');
  const { uncovered, periodsOf, periodStart } = await dist('partition-periods.js');
  const repo = new PartitionsRepository();
  const now = await repo.clock(exec);
  const wanted = { from: periodStart(new Date(now.getTime() - SPREAD_DAYS * 86_400_000), 'month'), to: now };
  for (const gap of uncovered(wanted, await repo.list(exec))) {
    for (const range of periodsOf(gap, 'month')) {
      await exec.query('BEGIN');
      await repo.create(exec, range);
      await exec.query('COMMIT');
    }
  }
  return (await repo.list(exec)).map((p) => p.name);
}

/** `client`: one pg.Client on the bench database. Answers the seconds it took. */
export async function generateInbox(client, { users, perUser }) {
  const exec = { query: (sql, params) => client.query(sql, params).then((r) => r.rows) };
  const t0 = Date.now();
  const partitions = await makePartitions(exec);
  log(`  scale: ${partitions.length} partitions; generating ${users.toLocaleString('en-US')} users x ${perUser}`);
  for (let seq = 1; seq <= perUser; seq++) {
    await client.query(
      `INSERT INTO notifications (id, user_id, seq, activity_seq, type, title, severity, data, created_at, read_at)
       SELECT ${orderedIdSql('t')}, 'u' || u, $1::bigint, $1::bigint, 'bench', 'bench', 'info', $2::jsonb, t, CASE WHEN $1 <= $3 THEN t END
         FROM generate_series(0, $4 - 1) AS u,
              LATERAL (SELECT now() - make_interval(days => $5) + ($1 - 1) * make_interval(secs => $5 * 86400.0 / $6) + u * interval '1 microsecond') AS c(t)`,
      [seq, DATA, perUser / 2, users, SPREAD_DAYS, perUser],
    );
    if (seq % 5 === 0) log(`  scale: seq ${seq}/${perUser} after ${Math.round((Date.now() - t0) / 1000)} s`);
  }
  await client.query(
    `INSERT INTO user_states (user_id, last_seq, unread_count, inbox_count, unseen_count)
     SELECT 'u' || u, $2::int, $2::int - $2::int / 2, $2::int, $2::int FROM generate_series(0, $1::int - 1) AS u`,
    [users, perUser],
  );
  // What autovacuum would have done by the time such a table is read.
  await client.query('VACUUM ANALYZE notifications');
  await client.query('VACUUM ANALYZE user_states');
  return (Date.now() - t0) / 1000;
}
