// What the one-row append statement saves (issue 16, round 5): one POST to
// one recipient written by the batch statement (twenty one-item array
// parameters) and by APPEND_ONE (scalar parameters), each timed over
// N round trips on one connection with the publish pool's settings (generic
// plans, synchronous_commit=off), beside `SELECT 1` (the round trip alone)
// and the reference server's statement. Its own database, dropped afterwards.
// Run after `npm run build`: node bench/micro/append-statement.mjs [N=3000]
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { APPEND_BATCH, APPEND_ONE } from '../../dist/libs/database/src/repositories/append.sql.js';
import { dropDatabase } from '../../scripts/harness/databases.mjs';
import { ensureServices } from '../../scripts/harness/services.mjs';
import { openMigratedDatabase } from './migrated-database.mjs';
import { createReferenceSchema, REFERENCE_INSERT } from '../lib/reference-schema.mjs';

const N = Number(process.argv[2] ?? 3000);
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
  await createReferenceSchema(client);
  const best = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, make] of Object.entries(ways)) {
      const run = async (from) => {
        for (let i = from; i < from + N; i++) {
          const [text, values] = make(i);
          await client.query({ name: label.replace(/\W/g, '_'), text, values });
        }
      };
      if (round === 0) await run(0); // prepares, warms the caches and the JIT
      const t = performance.now();
      await run((round + 1) * N);
      best[label] = Math.min(best[label] ?? Infinity, ((performance.now() - t) / N) * 1000);
    }
  }
  for (const [label, us] of Object.entries(best)) console.log(`${label.padEnd(28)} ${(us / 1000).toFixed(3)} ms per round trip (best of ${ROUNDS} rounds of ${N})`);
  await client.end();
} finally {
  await dropDatabase(name);
}
