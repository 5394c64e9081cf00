// Builds an inbox of `users` x `perUser` notifications straight in SQL
// (generate_series, not through the api), the shape ingest leaves: one
// statement per seq so rows are laid down in time order, half of each user's
// rows read, none seen, archived or snoozed, user_states' counters matching.
//
// Time: the rows arrive at a steady rate over SPREAD_DAYS, and the partition
// ingest writes into holds what that rate gives one whole partition period,
// as at the period's last moment, whatever the day the bench runs. A month's
// partition at month's end, the largest it gets, is what ingest meets at
// worst; laid down by the calendar instead, the figure would depend on the
// day of the month (on the 1st the current partition is empty). So the
// rows of the last period of the spread are squeezed into the current
// partition's time so far, and the earlier ones lie before it, in the
// partitions (Herald's own PartitionsRepository makes them) before it.
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { DIST_DIR } from '../../scripts/harness/paths.mjs';
import { orderedIdSql } from '../lib/ordered-id-sql.mjs';
import { log } from '../lib/util.mjs';

const SPREAD_DAYS = 50;
const DAY_MS = 86_400_000;
const DATA = JSON.stringify({ k: 'x'.repeat(92) }); // ~100 bytes, as the POSTs

const dist = (file) => import(pathToFileURL(path.join(DIST_DIR, 'libs/database/src', file)).href);

/**
 * The partitions of `period` from the one holding `from` to the current one (the migration's months, made whatever
 * the period, go first: they are empty), each made by Herald's own PartitionsRepository, as the api makes later ones.
 */
async function makePartitions(exec, from, now, period) {
  const { PartitionsRepository } = await dist('repositories/partitions.repository.js');
  const { uncovered, periodsOf, periodStart, nextPeriod } = await dist('partition-periods.js');
  const repo = new PartitionsRepository();
  for (const p of await repo.list(exec)) {
    await exec.query(`DROP TABLE ${p.name}`);
    await exec.query(`DROP TABLE IF EXISTS ${p.name.replace(/^notifications_/, 'notification_receipts_')}`);
  }
  const wanted = { from: periodStart(from, period), to: nextPeriod(periodStart(now, period), period) };
  for (const gap of uncovered(wanted, await repo.list(exec))) {
    for (const range of periodsOf(gap, period)) {
      await exec.query('BEGIN');
      await repo.create(exec, range);
      await exec.query('COMMIT');
    }
  }
  return (await repo.list(exec)).map((p) => p.name);
}

/**
 * `client`: one pg.Client on the bench database; `period`: the api's HERALD_PARTITION_PERIOD. Answers the seconds it
 * took and the share of the rows in the current partition.
 */
export async function generateInbox(client, { users, perUser }, period = 'month') {
  const exec = { query: (sql, params) => client.query(sql, params).then((r) => r.rows) };
  const { periodStart, nextPeriod } = await dist('partition-periods.js');
  const t0 = Date.now();
  const [{ now }] = await exec.query('SELECT now() AS now');
  const currentStart = periodStart(now, period);
  const periodMs = nextPeriod(currentStart, period).getTime() - currentStart.getTime();
  const spreadMs = SPREAD_DAYS * DAY_MS;
  // Rows whose place in the spread (0 to spreadMs) is past `split` go in the current partition.
  const split = Math.max(0, spreadMs - periodMs);
  const partitions = await makePartitions(exec, new Date(currentStart.getTime() - split), now, period);
  log(`  scale: ${partitions.length} partitions of a ${period}; generating ${users.toLocaleString('en-US')} users x ${perUser}`);
  for (let seq = 1; seq <= perUser; seq++) {
    // Row (seq, u)'s place in the spread, in ms: the rate is steady, users one after another within a seq.
    const place = `((${seq - 1} * $4::float8 + u) / ($4::float8 * $6)) * $7::float8`;
    await client.query(
      `INSERT INTO notifications (id, user_id, seq, activity_seq, type, title, severity, data, created_at, read_at)
       SELECT ${orderedIdSql('t')}, 'u' || u, $1::bigint, $1::bigint, 'bench', 'bench', 'info', $2::jsonb, t, CASE WHEN $1 <= $3 THEN t END
         FROM generate_series(0, $4 - 1) AS u,
              LATERAL (SELECT CASE WHEN ${place} < $8
                                   THEN $5::timestamptz - make_interval(secs => ($8 - ${place}) / 1000)
                                   ELSE $5::timestamptz + ($9::timestamptz - $5::timestamptz) * ((${place} - $8) / ($7::float8 - $8)) END) AS c(t)`,
      [seq, DATA, perUser / 2, users, currentStart, perUser, spreadMs, split, now],
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
  const [{ share }] = await exec.query(
    'SELECT (SELECT count(*) FROM notifications WHERE created_at >= $1)::float8 / greatest((SELECT count(*) FROM notifications), 1) AS share',
    [currentStart],
  );
  return { seconds: (Date.now() - t0) / 1000, currentShare: Math.round(share * 1000) / 1000 };
}
