// What a delivery receipt costs Postgres (issue 16, round 10): a gateway's
// batch of B receipts for notifications just written, as round 9's UPDATE
// of notifications.delivered_at (the row locked, then a new version of it)
// and as today's INSERT into notification_receipts. Each way has a database
// of its own (dropped afterwards; the old column still exists, expand then
// contract, so both run on today's schema), beside a third that writes no
// receipts, the storage baseline. Each round appends B fresh rows to each
// (outside the timing), then times the receipt statement and reads the WAL
// it wrote. The ways alternate round by round; the first rounds are
// dropped, medians reported, and the table and index bytes per receipt
// read after a VACUUM. Then the read side: a page of 20 and a resume of 100
// of one user's rows with deliveredAt, from the column and from the receipt.
// Run after `npm run build`: node bench/micro/receipt-costs.mjs [rounds=200] [batch=125]
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { notificationColumnsOf } from '../../dist/libs/database/src/notification-row.js';
import { DeliveryReceiptsRepository } from '../../dist/libs/database/src/repositories/delivery-receipts.repository.js';
import { dropDatabase } from '../../scripts/harness/databases.mjs';
import { ensureServices } from '../../scripts/harness/services.mjs';
import { openMigratedDatabase } from './migrated-database.mjs';

const ROUNDS = Number(process.argv[2] ?? 200);
const BATCH = Number(process.argv[3] ?? 125);
const WARMUP = 20;
/** Users the rows go to: 100 rows each at the default size, so a read can take a page of 20 or a resume's 100. */
const USERS = 250;
const READS = 2000;
const data = JSON.stringify({ sentAt: 1, tag: 'bench', pad: 'p'.repeat(40) });

/** Round 9's receipt statement, verbatim (DeliveryReceiptsRepository before round 10). */
const ROUND9_UPDATE = `WITH cand AS (
         SELECT id FROM notifications WHERE id = ANY($1::uuid[]) AND delivered_at IS NULL ORDER BY id FOR UPDATE SKIP LOCKED
       ), upd AS (UPDATE notifications n SET delivered_at = $2 FROM cand WHERE n.id = cand.id RETURNING n.id)
       SELECT id FROM upd`;

/** One way of recording receipts, on a database of its own (so each one's storage can be read apart). */
async function openWay(label, write, columns) {
  const name = `herald_micro_receipts_${label.split(' ')[0].toLowerCase()}_${process.pid}`;
  const client = await openMigratedDatabase(name);
  const receipts = new DeliveryReceiptsRepository({ query: async (text, values) => (await client.query(text, values)).rows });
  return { label, name, client, columns, write: (rows, at) => write(client, receipts, rows, at), us: [], wal: [], reads: {} };
}

/** Heap, indexes and TOAST of every partition of `table`. */
const storageOf = async (client, table) =>
  (await client.query('SELECT coalesce(sum(pg_total_relation_size(relid)), 0)::float8 AS bytes FROM pg_partition_tree($1::regclass)', [table])).rows[0].bytes;

await ensureServices();
const ways = [];
try {
  const today = notificationColumnsOf('n');
  const fromColumn = today.replace(/LEAST\(n\.delivered_at, \(SELECT r\.delivered_at .*?\)\) AS delivered_at/, 'n.delivered_at');
  if (fromColumn === today) throw new Error('notificationColumnsOf no longer reads the receipt as this benchmark expects');
  ways.push(await openWay('none (no receipts: the storage baseline)', async () => BATCH, fromColumn));
  ways.push(await openWay('UPDATE notifications (round 9)', async (client, _r, rows, at) => (await client.query(ROUND9_UPDATE, [rows.map((r) => r.id), at])).rowCount, fromColumn));
  ways.push(await openWay('INSERT notification_receipts', async (_c, receipts, rows, at) => rows.length - (await receipts.markDelivered(rows, at)).length, today));
  let user = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const way of ways) {
      const { client } = way;
      const ids = Array.from({ length: BATCH }, () => randomUUID());
      const { rows } = await client.query(
        `INSERT INTO notifications (id, user_id, seq, activity_seq, type, title, data)
         SELECT id, 'u' || (($2::int + o) % ${USERS}), 1, 1, 'bench', 'bench', $3::jsonb FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, o)
         RETURNING id, created_at`,
        [ids, user, data],
      );
      const batch = rows.map((r) => ({ id: r.id, createdAt: r.created_at.toISOString() }));
      const before = (await client.query('SELECT pg_current_wal_insert_lsn() AS lsn')).rows[0].lsn;
      const t = performance.now();
      const marked = await way.write(batch, new Date());
      const us = ((performance.now() - t) * 1000) / BATCH;
      const [{ bytes }] = (await client.query('SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1)::float8 AS bytes', [before])).rows;
      if (marked !== BATCH) throw new Error(`${way.label} marked ${marked} of ${BATCH}`);
      if (round >= WARMUP) {
        way.us.push(us);
        way.wal.push(bytes / BATCH);
      }
    }
    user += BATCH;
  }
  // What stays on disk once vacuum has run: dead row versions are reusable space, but the table and its indexes do not shrink.
  for (const way of ways) {
    await way.client.query('VACUUM notifications');
    await way.client.query('VACUUM notification_receipts');
    way.storage = (await storageOf(way.client, 'notifications')) + (await storageOf(way.client, 'notification_receipts'));
  }
  // What reading deliveredAt costs: a user's newest 20 (a list page) and 100 (a resume), the column against the receipt's probe.
  for (const limit of [20, 100]) {
    for (let round = 0; round < 3; round++) {
      for (const way of ways.slice(1)) {
        const t = performance.now();
        for (let i = 0; i < READS; i++) {
          await way.client.query({
            name: `read${limit}`,
            text: `SELECT ${way.columns} FROM notifications n WHERE n.user_id = $1 ORDER BY n.activity_seq DESC LIMIT ${limit}`,
            values: [`u${(i * 7) % USERS}`],
          });
        }
        const us = ((performance.now() - t) * 1000) / READS;
        if (round > 0) way.reads[limit] = Math.min(way.reads[limit] ?? Infinity, us); // the first round warms the caches
      }
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const rows = ROUNDS * BATCH;
  const baseline = ways[0].storage;
  console.log(`${rows} notifications in batches of ${BATCH}, each batch's receipts written just after it; medians of ${ROUNDS - WARMUP} rounds, the ways alternating:`);
  for (const way of ways.slice(1)) {
    console.log(
      `${way.label.padEnd(32)} ${median(way.us).toFixed(1)} us and ${Math.round(median(way.wal))} bytes of WAL per receipt; ` +
        `${Math.round((way.storage - baseline) / rows)} bytes of table and indexes per receipt after VACUUM; ` +
        `reading 20 / 100 rows with deliveredAt ${Math.round(way.reads[20])} / ${Math.round(way.reads[100])} us per query (best of 2 rounds of ${READS})`,
    );
  }
} finally {
  for (const way of ways) {
    await way.client.end();
    await dropDatabase(way.name);
  }
}
