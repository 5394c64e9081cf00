// What the order of notification ids costs Postgres (issue 16, round 13).
// A notification's id is the first column of two B-tree keys: the
// notifications primary key and its receipt's. Random ids (UUIDv4) put each
// new row on a random leaf page of both, so a busy table dirties pages all
// over them, and the first change to each page after a checkpoint writes the
// whole 8 KiB page into the WAL. Time-ordered ids (UUIDv7) land on the
// newest leaf of each. Two databases of `rows` notifications each (random
// users, with a receipt each, the current partition), one with random ids
// and one with time-ordered ones; then rounds that alternate them: a
// CHECKPOINT, N appends (APPEND_ONE, the one-row publish statement) with ids
// of the database's kind, and their receipts in the gateways' batches
// (DeliveryReceiptsRepository), each timed, with the WAL each wrote.
// Medians over the rounds. Both databases are dropped afterwards. First,
// what minting each kind of id costs.
// Run after `npm run build`: node bench/micro/id-order.mjs [rows=1000000] [N=5000] [rounds=4]
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { v7 as uuidv7 } from 'uuid';
import { APPEND_ONE } from '../../dist/libs/database/src/repositories/append.sql.js';
import { newNotificationId } from '../../dist/libs/database/src/notification-ids.js';
import { DeliveryReceiptsRepository } from '../../dist/libs/database/src/repositories/delivery-receipts.repository.js';
import { orderedIdSql } from '../lib/ordered-id-sql.mjs';
import { dropDatabase } from '../../scripts/harness/databases.mjs';
import { ensureServices } from '../../scripts/harness/services.mjs';
import { openMigratedDatabase } from './migrated-database.mjs';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const N = Number(process.argv[3] ?? 5000);
const ROUNDS = Number(process.argv[4] ?? 4);
const PER_USER = 10;
const USERS = ROWS / PER_USER;
const RECEIPT_BATCH = 125; // what a gateway flushes every 250 ms at 500 frames/s
const data = JSON.stringify({ sentAt: 1, tag: 'bench', pad: 'p'.repeat(40) });
const content = ['bench', 'bench', null, 'info', data, null, null, null, '[]', null, null, null, null];

/** SQL for an id of each kind at time `t`: gen_random_uuid(), or the same with its first 48 bits the time in ms (a UUIDv7's order). */
const ID_SQL = {
  random: 'gen_random_uuid()',
  ordered: orderedIdSql('t'),
};
const NEW_ID = { random: randomUUID, ordered: newNotificationId };

/** `ROWS` notifications for random users in the current partition, oldest first, each with a receipt. */
async function fill(client, kind) {
  for (let seq = 1; seq <= PER_USER; seq++) {
    await client.query(
      `INSERT INTO notifications (id, user_id, seq, activity_seq, type, title, severity, data, created_at)
       SELECT ${ID_SQL[kind]}, 'u' || u, $1::bigint, $1::bigint, 'bench', 'bench', 'info', $2::jsonb, t
         FROM generate_series(0, $3 - 1) AS u, LATERAL (SELECT now() - interval '10 minutes' + ($1 * $3 + u) * interval '1 microsecond') AS c(t)`,
      [seq, data, USERS],
    );
  }
  await client.query(
    `INSERT INTO user_states (user_id, last_seq, unread_count, inbox_count, unseen_count)
     SELECT 'u' || u, $2::int, $2::int, $2::int, $2::int FROM generate_series(0, $1::int - 1) AS u`,
    [USERS, PER_USER],
  );
  await client.query(`INSERT INTO notification_receipts (notification_id, created_at, delivered_at)
                      SELECT id, date_trunc('milliseconds', created_at), created_at FROM notifications`);
  await client.query('VACUUM ANALYZE');
}

async function measure(client, kind) {
  const wal = async () => (await client.query('SELECT pg_current_wal_insert_lsn() AS lsn')).rows[0].lsn;
  const walSince = async (from) => Number((await client.query('SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1) AS d', [from])).rows[0].d);
  await client.query('CHECKPOINT');
  const appended = [];
  let lsn = await wal();
  let t = performance.now();
  for (let i = 0; i < N; i++) {
    const id = NEW_ID[kind]();
    const [row] = (await client.query({ name: 'append_one', text: APPEND_ONE, values: [`u${Math.floor(Math.random() * USERS)}`, id, ...content, 'bench-svc'] })).rows;
    appended.push({ id, createdAt: new Date(row.created_at).toISOString() });
  }
  const append = { usPerRow: ((performance.now() - t) / N) * 1000, walPerRow: (await walSince(lsn)) / N };
  const receipts = new DeliveryReceiptsRepository({ query: async (text, values) => (await client.query(text, values)).rows });
  lsn = await wal();
  t = performance.now();
  for (let i = 0; i < appended.length; i += RECEIPT_BATCH) await receipts.markDelivered(appended.slice(i, i + RECEIPT_BATCH), new Date());
  const receipt = { usPerRow: ((performance.now() - t) / N) * 1000, walPerRow: (await walSince(lsn)) / N };
  return { append, receipt };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => x.toFixed(1);

/** What minting an id costs: crypto.randomUUID, uuid's v7 with its own random source, and Herald's (best of three runs of 1 M). */
function timeIds() {
  const ways = { 'crypto.randomUUID (v4)': randomUUID, "uuid's v7(), its own random source": uuidv7, 'newNotificationId (v7, pooled random source)': newNotificationId };
  for (const [label, make] of Object.entries(ways)) {
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
      const t = performance.now();
      for (let i = 0; i < 1_000_000; i++) make();
      best = Math.min(best, performance.now() - t);
    }
    console.log(`${label}: ${(best / 1000).toFixed(2)} µs an id`);
  }
}

timeIds();
await ensureServices();
const names = { random: `herald_micro_ids_random_${process.pid}`, ordered: `herald_micro_ids_ordered_${process.pid}` };
const clients = {};
try {
  for (const kind of Object.keys(names)) {
    const t0 = performance.now();
    clients[kind] = await openMigratedDatabase(names[kind]);
    await clients[kind].query('SET plan_cache_mode = force_generic_plan');
    await fill(clients[kind], kind);
    console.log(`${kind}: ${ROWS.toLocaleString('en-US')} rows in ${Math.round((performance.now() - t0) / 1000)} s`);
  }
  const results = { random: [], ordered: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of round % 2 ? ['ordered', 'random'] : ['random', 'ordered']) results[kind].push(await measure(clients[kind], kind));
  }
  console.log(`${ROWS.toLocaleString('en-US')} rows, ${N} appends a round after a CHECKPOINT, receipts in batches of ${RECEIPT_BATCH}; medians of ${ROUNDS} rounds (every round in brackets)`);
  console.log('| ids | append µs/row | append WAL bytes/row | receipt µs/row | receipt WAL bytes/row |');
  console.log('|---|---|---|---|---|');
  for (const [kind, rs] of Object.entries(results)) {
    const col = (step, f) => `${fmt(median(rs.map((r) => r[step][f])))} [${rs.map((r) => fmt(r[step][f])).join(', ')}]`;
    console.log(`| ${kind} | ${col('append', 'usPerRow')} | ${col('append', 'walPerRow')} | ${col('receipt', 'usPerRow')} | ${col('receipt', 'walPerRow')} |`);
  }
} finally {
  for (const client of Object.values(clients)) await client.end();
  for (const name of Object.values(names)) await dropDatabase(name);
}
