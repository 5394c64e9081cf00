// `npm run bench -- --scale`: the inbox at 20 million rows for 1 million
// users beside the same figures at 1 million rows (50,000 users, the same 20
// rows each, so only the table's size differs). Rows are generated in SQL.
// Both databases are built first, then measured in alternating rounds (the
// best round of each figure is reported, every round is in the JSON); both
// are dropped at the end, even on failure. The figures go to
// <out>/<stamp>-scale.json and between the scale markers of docs/benchmarks.md.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { adminQuery } from '../../scripts/harness/databases.mjs';
import { createDatabase } from '../lib/infra.mjs';
import { writeJson } from '../lib/report.mjs';
import { cpuMeter } from '../lib/procs.mjs';
import { baseEnv, migrate, startSystem } from '../lib/system.mjs';
import { log, median } from '../lib/util.mjs';
import { bufferReads, bufferReadsOnceAlone, bufferReadsPerRow } from './buffer-reads.mjs';
import { generateInbox } from './generate.mjs';
import { perRowUs, startPostgresCpu } from './postgres-cpu.mjs';
import { resetStatementTimes, statementTimesPerRow } from './statement-times.mjs';
import { tableActivity, tableActivityDelta } from './table-activity.mjs';
import { walWrites, walWritesPerRow } from './wal-writes.mjs';
import { measureIngest, measureReads } from './measure.mjs';

/** BENCH_SCALE_DIVISOR=1000 shrinks both sizes for a smoke run of the harness itself (figures meaningless). */
const DIVISOR = Number(process.env.BENCH_SCALE_DIVISOR ?? 1);
const SIZES = [
  { tag: '1m', users: 50_000 / DIVISOR, perUser: 20 },
  { tag: '20m', users: 1_000_000 / DIVISOR, perUser: 20 },
];
/** 20 M rows take about 8 GB with their indexes and WAL; refuse below this much free space. */
const NEEDED_FREE_GB = 25;
const READS = { samples: 5000, warmup: 1000, concurrency: 4 };
const INGEST = { concurrency: 16, warmupMs: 5000, durationMs: 20_000 };
/** BENCH_SCALE_ROUNDS: rounds per size (default 2); ingest's spread between rounds on a shared machine can hide a 10 % gap. */
const ROUNDS = Number(process.env.BENCH_SCALE_ROUNDS ?? 2);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error(`BENCH_SCALE_ROUNDS must be a whole number of at least 1, not ${process.env.BENCH_SCALE_ROUNDS}`);
/** BENCH_SCALE_PERIOD: the api's HERALD_PARTITION_PERIOD (default month, Herald's own default); it decides how many rows the partition ingest writes into holds. */
const PERIOD = process.env.BENCH_SCALE_PERIOD ?? 'month';
if (!['day', 'week', 'month'].includes(PERIOD)) throw new Error(`BENCH_SCALE_PERIOD must be day, week or month, not ${PERIOD}`);
const START = '<!-- scale:start -->';
const END = '<!-- scale:end -->';

function freeGb(dir) {
  const out = execFileSync('df', ['-Pk', dir], { encoding: 'utf8' }).trim().split('\n').at(-1).split(/\s+/);
  return Number(out[3]) / 1024 / 1024;
}

/** The size's database, migrated and filled; the caller drops it. */
async function prepare(ctx, size) {
  const db = await createDatabase(`scale_${size.tag}`);
  const env = { ...baseEnv({ db, prefix: `herald:bench:${ctx.runId}:scale:${size.tag}:`, secret: ctx.secret, poolSize: 10, heartbeatMs: 25_000 }), HERALD_PARTITION_PERIOD: PERIOD };
  migrate(env);
  await db.setSyncCommit(false);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  let generated;
  try {
    generated = await generateInbox(client, size, PERIOD);
  } finally {
    await client.end();
  }
  const [{ rows, bytes }] = await db.query(`SELECT (SELECT count(*) FROM notifications)::int AS rows, pg_database_size(current_database())::bigint AS bytes`);
  log(`  scale ${size.tag}: ${rows.toLocaleString('en-US')} rows, ${(Number(bytes) / 2 ** 30).toFixed(1)} GiB, ${Math.round(generated.currentShare * 100)} % in the current partition, generated in ${Math.round(generated.seconds)} s`);
  return { ...size, db, env, rows, databaseGiB: Number(bytes) / 2 ** 30, generateS: generated.seconds, currentShare: generated.currentShare };
}

/** One round on one size: the reads, then ingest through a fresh api process, with Postgres's counters and the CPU of both around it. */
async function measure(ctx, prepared) {
  const reads = await measureReads(prepared.db.url, prepared, READS);
  log(`  scale ${prepared.tag}: list p99 ${reads.list.p99} ms, unread p99 ${reads.unread.p99} ms, resume p99 ${reads.resume.p99} ms`);
  const before = await bufferReads(prepared.db);
  const walBefore = await walWrites(prepared.db);
  const tablesBefore = await tableActivity(prepared.db);
  const statements = await resetStatementTimes(prepared.db);
  // The rows span 50 days: at the 30-day default a boot would retire the oldest month's partition under the measurement.
  const system = await startSystem('herald', { env: { ...prepared.env, HERALD_RETENTION_INTERVAL_MS: '0', HERALD_RETENTION_DAYS: '365' }, gateways: 0 });
  const postgresCpu = await startPostgresCpu(prepared.db);
  let ingest;
  let apiCpu;
  try {
    const apiMeter = cpuMeter([system.api]);
    ingest = await measureIngest(system.api.url, ctx.serviceToken, prepared, INGEST);
    apiCpu = apiMeter()[system.api.name];
  } finally {
    await system.stop();
  }
  ingest.buffers = bufferReadsPerRow(before, await bufferReadsOnceAlone(prepared.db), ingest.inserted);
  // CPU per row over warm-up and window, as the counters: the api's, and Postgres's by process kind once its backends exited.
  ingest.cpuUsPerRow = { ...perRowUs({ api: apiCpu }, ingest.inserted), postgres: postgresCpu && perRowUs(postgresCpu(), ingest.inserted) };
  ingest.wal = walWritesPerRow(walBefore, await walWrites(prepared.db), ingest.inserted);
  ingest.tables = tableActivityDelta(tablesBefore, await tableActivity(prepared.db));
  if (statements) ingest.statements = await statementTimesPerRow(prepared.db, ingest.inserted);
  const { buffers, wal, cpuUsPerRow, tables } = ingest;
  log(`  scale ${prepared.tag}: ingest ${ingest.rowsPerSecond} rows/s (POST p99 ${ingest.postLatency.p99} ms), load ${ingest.loadBefore.join(' ')}; ` +
    `${buffers.readsPerRow} blocks read and ${buffers.hitsPerRow} hit per row (${buffers.hitPct} % hit), most read: ${buffers.topReads.map((r) => `${r.relation} ${r.readsPerRow}`).join(', ')}; ` +
    `WAL per row ${wal.bytesPerRow} bytes, ${wal.fullPagesPerRow} full pages, ${wal.checkpoints} checkpoints (${wal.requestedCheckpoints} for WAL size); ` +
    `CPU per row: api ${cpuUsPerRow.api} µs, Postgres ${cpuUsPerRow.postgres ? Object.entries(cpuUsPerRow.postgres).map(([k, v]) => `${k} ${v}`).join(', ') : 'not on this machine'} µs; ` +
    `user_states updates ${tables.userStatesHotPct} % HOT, autovacuum ${JSON.stringify(tables.autovacuum)}` +
    (ingest.statements ? `; statements: ${ingest.statements.map((st) => `${st.usPerRow} µs/row ${st.msPerCall} ms/call ${st.dirtiedPerRow} dirtied/row: ${st.statement.slice(0, 60)}`).join(' | ')}` : ''));
  return { reads, ingest };
}

/** Per figure, the best of the rounds: on a shared machine the worst mostly measures the neighbours. */
function best(size, rounds) {
  const pick = (get, better) => rounds.map(get).reduce((a, b) => (better(b, a) ? b : a));
  const lower = (a, b) => a.p99 < b.p99;
  return {
    tag: size.tag, users: size.users, perUser: size.perUser, rows: size.rows, databaseGiB: size.databaseGiB, generateS: size.generateS, currentShare: size.currentShare,
    reads: {
      list: pick((r) => r.reads.list, lower),
      unread: pick((r) => r.reads.unread, lower),
      resume: pick((r) => r.reads.resume, lower),
    },
    ingest: pick((r) => r.ingest, (a, b) => a.rowsPerSecond > b.rowsPerSecond),
    rounds,
  };
}

/** Rows per second are whole numbers: so is their median. */
const medianRate = (xs) => Math.round(median(xs));

const cpuPerRow = (r) => `${r.ingest.cpuUsPerRow.api} + ${r.ingest.cpuUsPerRow.postgres?.ours ?? '?'}`;

function table(small, big) {
  const ratio = (a, b) => (a && b ? `${(b / a).toFixed(2)}×` : 'n/a');
  const row = (what, a, b, target, met) => `| ${what} | ${a} | ${b} | ${target} | ${met ? 'met' : 'missed'} |`;
  const p99 = (r) => r.p99;
  return [
    '| figure | 1 M rows (50,000 users) | 20 M rows (1,000,000 users) | target | |',
    '|---|---|---|---|---|',
    row('inbox list (newest 20) p99', `${p99(small.reads.list)} ms`, `${p99(big.reads.list)} ms (${ratio(p99(small.reads.list), p99(big.reads.list))})`, '≤ 2×', p99(big.reads.list) <= 2 * p99(small.reads.list)),
    row('unread count p99', `${p99(small.reads.unread)} ms`, `${p99(big.reads.unread)} ms (${ratio(p99(small.reads.unread), p99(big.reads.unread))})`, '—', true),
    row('resume read (after a seq, ≤ 100) p99', `${p99(small.reads.resume)} ms`, `${p99(big.reads.resume)} ms (${ratio(p99(small.reads.resume), p99(big.reads.resume))})`, '≤ 2×', p99(big.reads.resume) <= 2 * p99(small.reads.resume)),
    row('single-recipient ingest, api, 16 in flight', `${small.ingest.rowsPerSecond} rows/s`, `${big.ingest.rowsPerSecond} rows/s (${ratio(small.ingest.rowsPerSecond, big.ingest.rowsPerSecond)})`, '≥ 0.9×', big.ingest.rowsPerSecond >= 0.9 * small.ingest.rowsPerSecond),
    '',
    `Best of ${ROUNDS} rounds alternating the sizes; every round (1 M | 20 M): ` +
      `list p99 ${small.rounds.map((r) => r.reads.list.p99).join(', ')} | ${big.rounds.map((r) => r.reads.list.p99).join(', ')} ms, ` +
      `resume p99 ${small.rounds.map((r) => r.reads.resume.p99).join(', ')} | ${big.rounds.map((r) => r.reads.resume.p99).join(', ')} ms, ` +
      `ingest ${small.rounds.map((r) => r.ingest.rowsPerSecond).join(', ')} | ${big.rounds.map((r) => r.ingest.rowsPerSecond).join(', ')} rows/s ` +
      `(median ${medianRate(small.rounds.map((r) => r.ingest.rowsPerSecond))} | ${medianRate(big.rounds.map((r) => r.ingest.rowsPerSecond))}), ` +
      `Postgres buffer cache hits during ingest ${small.rounds.map((r) => `${r.ingest.buffers.hitPct} %`).join(', ')} | ${big.rounds.map((r) => `${r.ingest.buffers.hitPct} %`).join(', ')}, ` +
      `WAL bytes per row ${small.rounds.map((r) => r.ingest.wal.bytesPerRow).join(', ')} | ${big.rounds.map((r) => r.ingest.wal.bytesPerRow).join(', ')}, ` +
      `CPU per row (api + Postgres) ${small.rounds.map(cpuPerRow).join(', ')} | ${big.rounds.map(cpuPerRow).join(', ')} µs. ` +
      `p50s: list ${small.reads.list.p50} / ${big.reads.list.p50} ms, unread ${small.reads.unread.p50} / ${big.reads.unread.p50} ms, resume ${small.reads.resume.p50} / ${big.reads.resume.p50} ms, POST ${small.ingest.postLatency.p50} / ${big.ingest.postLatency.p50} ms. ` +
      `Load average (1/5/15 min) before the reads: ${small.reads.list.loadBefore.join(' ')} (1 M), ${big.reads.list.loadBefore.join(' ')} (20 M); before ingest: ${small.ingest.loadBefore.join(' ')} / ${big.ingest.loadBefore.join(' ')}. ` +
      `Database size ${small.databaseGiB.toFixed(1)} / ${big.databaseGiB.toFixed(1)} GiB; 20 M rows generated in ${Math.round(big.generateS)} s; ` +
      `${PERIOD} partitions, ${Math.round(big.currentShare * 100)} % of the rows in the one ingest writes into.`,
  ].join('\n');
}

export async function runScale(ctx, { outDir, stamp, docsPath, writeDocs }) {
  const [{ data_directory: dataDir }] = await adminQuery('SHOW data_directory');
  let free;
  try {
    free = freeGb(dataDir);
  } catch {
    throw new Error(`--scale checks the free space of Postgres's data directory (${dataDir}), which is not on this machine`);
  }
  if (free < NEEDED_FREE_GB) throw new Error(`--scale needs ${NEEDED_FREE_GB} GB free where Postgres keeps its data (${dataDir}); ${free.toFixed(1)} GB are`);
  log(`scale: ${free.toFixed(0)} GB free; sizes ${SIZES.map((s) => s.tag).join(', ')}`);
  const prepared = [];
  let small;
  let big;
  try {
    for (const size of SIZES) prepared.push(await prepare(ctx, size));
    // Rounds alternate the sizes, so a burst of load from elsewhere falls on both.
    const rounds = prepared.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, p] of prepared.entries()) rounds[i].push(await measure(ctx, p));
    }
    [small, big] = prepared.map((p, i) => best(p, rounds[i]));
  } finally {
    for (const p of prepared) await p.db.drop();
  }
  const markdown = table(small, big);
  const jsonPath = writeJson(outDir, stamp, { profile: 'scale', startedAt: new Date().toISOString(), machine: ctx.machine, period: PERIOD, reads: READS, ingest: INGEST, results: [small, big] });
  log(`results: ${jsonPath}\n${markdown}`);
  if (writeDocs) {
    const doc = readFileSync(docsPath, 'utf8');
    const at = doc.indexOf(START);
    const end = doc.indexOf(END);
    if (at < 0 || end < 0) throw new Error(`${docsPath} has no ${START} … ${END} markers`);
    const stampLine = `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC (\`${jsonPath.split('/').slice(-2).join('/')}\`):`;
    writeFileSync(docsPath, `${doc.slice(0, at + START.length)}\n${stampLine}\n\n${markdown}\n${doc.slice(end)}`);
  }
  return [small, big];
}
