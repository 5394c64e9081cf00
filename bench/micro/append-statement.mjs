// What the one-row append statement saves (issue 16, round 5): one POST to
// one recipient written by the batch statement (twenty one-item array
// parameters) and by APPEND_ONE (scalar parameters), each timed over
// N round trips on one connection with the publish pool's settings (generic
// plans), beside `SELECT 1` (the round trip alone) and the reference
// server's statement, with the WAL each writes per row. `durable` runs with
// synchronous_commit=on (each statement waits for its WAL flush), else off.
// Its own database, dropped afterwards.
// Run after `npm run build`: node bench/micro/append-statement.mjs [N=3000] [durable]
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { APPEND_BATCH, APPEND_ONE } from '../../dist/libs/database/src/repositories/append.sql.js';
import { dropDatabase } from '../../scripts/harness/databases.mjs';
import { ensureServices } from '../../scripts/harness/services.mjs';
import { openMigratedDatabase } from './migrated-database.mjs';
import { createReferenceSchema, REFERENCE_INSERT } from '../lib/reference-schema.mjs';

const N = Number(process.argv[2] ?? 3000);
const DURABLE = process.argv[3] === 'durable';
const ROUNDS = 5;
const data = JSON.stringify({ sentAt: 1, tag: 'bench', pad: 'p'.repeat(40) });
const user = (i) => `u${i % 5000}`;
// The bench body's content: type, title, body, severity, data, link, expiresAt, category, tags, actions, avatar, actor, groupKey.
const content = ['bench', 'bench', null, 'info', data, null, null, null, '[]', null, null, null, null];
const ways = {
  'SELECT 1 (the round trip)': () => ['SELECT 1', []],
  'reference statement': (i) => [REFERENCE_INSERT, [[user(i)], 'bench', 'bench', data]],
  'batch statement, one row': (i) => [APPEND_BATCH, [[user(i)], [1], [randomUUID()], [user(i)], [0], [1], ...content.map((v) => [v]), ['bench-svc']]],
  'APPEND_ONE': (i) => [APPEND_ONE, [user(i), randomUUID(), ...content, 'bench-svc']],
};

await ensureServices();
const name = `herald_micro_append_${process.pid}`;
try {
  const client = await openMigratedDatabase(name);
  await client.query('SET plan_cache_mode = force_generic_plan');
  await client.query(`SET synchronous_commit = ${DURABLE ? 'on' : 'off'}`);
  await createReferenceSchema(client);
  const walAt = async () => (await client.query('SELECT pg_current_wal_insert_lsn() AS lsn')).rows[0].lsn;
  const walBytes = async (from, to) => Number((await client.query('SELECT pg_wal_lsn_diff($1, $2) AS d', [to, from])).rows[0].d);
  const best = {};
  const wal = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, make] of Object.entries(ways)) {
      const run = async (from) => {
        for (let i = from; i < from + N; i++) {
          const [text, values] = make(i);
          await client.query({ name: label.replace(/\W/g, '_'), text, values });
        }
      };
      if (round === 0) await run(0); // prepares, warms the caches and the JIT
      const lsn = await walAt();
      const t = performance.now();
      await run((round + 1) * N);
      best[label] = Math.min(best[label] ?? Infinity, ((performance.now() - t) / N) * 1000);
      // The least of the rounds: a checkpoint in a round adds full-page images to it.
      wal[label] = Math.min(wal[label] ?? Infinity, (await walBytes(lsn, await walAt())) / N);
    }
  }
  console.log(`synchronous_commit=${DURABLE ? 'on' : 'off'}`);
  for (const [label, us] of Object.entries(best)) {
    console.log(`${label.padEnd(28)} ${(us / 1000).toFixed(3)} ms per round trip, ${Math.round(wal[label])} bytes of WAL per row (best of ${ROUNDS} rounds of ${N})`);
  }
  await client.end();
} finally {
  await dropDatabase(name);
}
