// Raw ceilings of the machine, measured in the same run: Redis PUBLISH rate
// (redis-benchmark, PUBLISH, when the binary exists) and plain Postgres
// INSERTs into a table shaped like Herald's notifications (no seq
// allocation): one row per statement at the api's pool size, and 1,000-row
// multi-row statements; durable and with synchronous_commit=off.
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { createDatabase } from '../lib/infra.mjs';
import { log, nowMs, round } from '../lib/util.mjs';

/**
 * redis-benchmark has no built-in `-t publish` test in Redis 7.0 (it prints
 * nothing), so the command is given explicitly: PUBLISH of a 300-byte
 * payload (a notification frame's size) to a channel nobody subscribes to.
 */
function redisBenchmark(requests, extra = []) {
  const args = ['-h', '127.0.0.1', '-p', '6379', '-n', String(requests), '-c', '50', '--csv', ...extra, 'publish', 'bench-redis-benchmark:ch', 'x'.repeat(300)];
  const r = spawnSync('redis-benchmark', args, { encoding: 'utf8', timeout: 120_000 });
  if (r.error || r.status !== 0) return null;
  const row = r.stdout.trim().split('\n').find((l) => l.startsWith('"publish'));
  if (!row) return null;
  const cols = row.split(',').map((c) => c.replace(/"/g, ''));
  return { publishPerSecond: Number(cols[1]), p50Ms: Number(cols[4]), p99Ms: Number(cols[6]) };
}

const TABLE = `CREATE TABLE plain_notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(), user_id varchar(128) NOT NULL, seq bigint NOT NULL, type varchar(64) NOT NULL,
  title varchar(200) NOT NULL, data jsonb, created_at timestamptz NOT NULL DEFAULT now(), UNIQUE (user_id, seq))`;

/** `workers` connections each running `statement(i)` back to back for `ms`; rows per second. */
async function insertLoop(url, workers, ms, rowsPer, statement) {
  const pool = new pg.Pool({ connectionString: url, max: workers });
  // A backend can outlive pool.end() by a moment; the DROP DATABASE ... WITH
  // (FORCE) that follows then terminates it, and an idle client's error with
  // no listener would crash the run. A failing query still rejects its own promise.
  pool.on('error', () => undefined);
  let rows = 0;
  let n = 0;
  const t0 = nowMs();
  const end = t0 + ms;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (nowMs() < end) {
        await pool.query(statement(n++));
        rows += rowsPer;
      }
    }),
  );
  const elapsed = nowMs() - t0;
  await pool.end();
  return rows / (elapsed / 1000);
}

async function plainInserts(cfg, batchedConcurrency) {
  const db = await createDatabase('plain');
  try {
    await db.query(TABLE);
    const out = {};
    let seq = 0;
    const data = JSON.stringify({ sentAt: 0, tag: 'plain' });
    for (const mode of ['durable', 'async']) {
      await db.setSyncCommit(mode === 'durable');
      const single = await insertLoop(db.url, cfg.insertConcurrency, cfg.insertMs, 1, () => ({
        name: 'plain_one',
        text: 'INSERT INTO plain_notifications (user_id, seq, type, title, data) VALUES ($1, $2, $3, $4, $5)',
        values: [`p${seq % 100_000}`, ++seq, 'bench', 'bench', data],
      }));
      const multi = await insertLoop(db.url, batchedConcurrency, cfg.insertMs, 1000, () => {
        const users = Array.from({ length: 1000 }, (_, i) => `p${i}`);
        const seqs = Array.from({ length: 1000 }, () => ++seq);
        return {
          name: 'plain_many',
          text: `INSERT INTO plain_notifications (user_id, seq, type, title, data)
                 SELECT u, s, 'bench', 'bench', $3::jsonb FROM unnest($1::varchar[], $2::bigint[]) AS t(u, s)`,
          values: [users, seqs, data],
        };
      });
      out[mode] = { singleRowPerSecond: round(single, 0), multiRowPerSecond: round(multi, 0) };
      log(`  plain INSERT ${mode}: ${Math.round(single)} rows/s one per statement (${cfg.insertConcurrency} connections), ${Math.round(multi)} rows/s in 1,000-row statements (${batchedConcurrency} connections)`);
    }
    return out;
  } finally {
    await db.drop();
  }
}

export async function runBaselines(ctx, cfg) {
  log('baselines: redis-benchmark and plain INSERTs');
  const redis = ctx.machine.redisBenchmark ? redisBenchmark(cfg.redisRequests) : null;
  const redisPipelined = ctx.machine.redisBenchmark ? redisBenchmark(cfg.redisRequests, ['-P', '16']) : null;
  if (redis) log(`  redis-benchmark publish: ${redis.publishPerSecond}/s (50 clients), ${redisPipelined?.publishPerSecond}/s pipelined 16`);
  else log('  redis-benchmark not available: skipped');
  const insert = await plainInserts(cfg, ctx.profile.ingestBatched.concurrency);
  ctx.baselines = { redis, redisPipelined, insert };
  const add = (key, label, value, unit, extra = {}) => ctx.figures.add({ key, scenario: 'baselines (same run)', label, value, unit, flags: [], ...extra });
  const skipped = redis ? {} : { skipped: 'redis-benchmark is not installed (it ships with redis-tools / redis-server)' };
  add('baseline.redis_publish_per_s', 'redis-benchmark PUBLISH (300 B, -c 50)', redis?.publishPerSecond ?? NaN, 'PUBLISH/s', skipped);
  add('baseline.redis_publish_pipelined_per_s', 'redis-benchmark PUBLISH (300 B, -c 50 -P 16)', redisPipelined?.publishPerSecond ?? NaN, 'PUBLISH/s', skipped);
  for (const mode of ['durable', 'async']) {
    add(`baseline.pg_single_insert_rows_per_s.${mode}`, `plain INSERT, one row per statement, ${cfg.insertConcurrency} connections, ${mode}`, insert[mode].singleRowPerSecond, 'rows/s');
    add(`baseline.pg_multirow_insert_rows_per_s.${mode}`, `plain INSERT, 1,000 rows per statement, ${ctx.profile.ingestBatched.concurrency} connections, ${mode}`, insert[mode].multiRowPerSecond, 'rows/s');
  }
  return ctx.baselines;
}
