// Turns what the soak recorded into the JSON report and a summary on
// stdout, and decides pass/fail.
import { stats } from '../../scale-rehearsal/lib/util.mjs';
import { judge, TOLERANCE } from './flatness.mjs';

const sum = (values) => values.reduce((a, b) => a + b, 0);
const MB = 2 ** 20;

/** Per process and quantity, the verdict over the steady phase (flatness.mjs says how). */
export function judgeResources(samples, judged) {
  const steady = samples.filter((s) => s.phase === 'steady');
  const names = [...new Set(steady.flatMap((s) => Object.keys(s.processes)))];
  const out = {};
  for (const name of names) {
    out[name] = {};
    for (const [key, tolerance] of Object.entries(TOLERANCE)) {
      const points = steady.map((s) => ({ t: s.t, v: s.processes[name]?.[key] })).filter((p) => Number.isFinite(p.v));
      out[name][key] = { ...judge(points, tolerance, tolerance.statistic), judged: name !== 'harness' && judged.includes(key) };
    }
  }
  return out;
}

/**
 * @param {object} run everything soak.mjs recorded
 * @returns the JSON report; `ok` and `failures` carry the verdict
 */
export function buildReport(run) {
  const { options, clients, publisher, sampler, dbRows, steady, errors, caughtUp, stillRunning } = run;
  const failures = [...errors];
  const perClient = clients.map((c) => {
    const truth = dbRows?.get(c.userId) ?? { rows: 0, lastSeq: 0 };
    return { userId: c.userId, rows: truth.rows, lastSeqInDb: truth.lastSeq, received: c.received, lastSeq: c.lastSeq, duplicates: c.duplicates, gaps: c.gaps, errors: c.errors.slice(0, 3) };
  });
  const mismatched = perClient.filter((c) => c.received !== c.rows || c.lastSeq !== c.lastSeqInDb || c.duplicates || c.gaps || c.errors.length);
  const totals = {
    clients: clients.length,
    created: publisher?.created ?? 0,
    dbRows: dbRows ? sum([...dbRows.values()].map((r) => r.rows)) : null,
    received: sum(perClient.map((c) => c.received)),
    duplicates: sum(perClient.map((c) => c.duplicates)),
    gaps: sum(perClient.map((c) => c.gaps)),
    churns: sum(clients.map((c) => c.churns)),
    serverCloses: sum(clients.map((c) => c.reconnects)),
  };
  const judged = ['fds', ...(options.judgeMemory ? ['rssBytes', 'heapUsedBytes'] : [])];
  const resources = steady?.endMs ? judgeResources(sampler?.samples ?? [], judged) : {};

  if (!caughtUp) failures.push('not every client caught up with Postgres in time');
  if (mismatched.length) failures.push(`${mismatched.length} clients differ from Postgres (lost, duplicated or out of order)`);
  if (totals.dbRows !== null && totals.dbRows !== totals.created) failures.push(`${totals.created} POSTs answered 201 but ${totals.dbRows} rows exist`);
  if (publisher?.failed.length) failures.push(`${publisher.failed.length} POSTs never got a 201`);
  if (stillRunning?.length) failures.push(`processes gone before the end: ${stillRunning.join(', ')}`);
  for (const [name, quantities] of Object.entries(resources)) {
    for (const [key, v] of Object.entries(quantities)) if (v.judged && !v.flat) failures.push(`${name} ${key} not flat: ${v.why ?? `rose ${v.driftOverWindow} over ${v.windowMinutes} min (allowed ${v.allowed})`}`);
  }
  return {
    ok: failures.length === 0,
    failures,
    options,
    startedAt: run.startedAt,
    environment: run.environment,
    durationMs: run.durationMs,
    totals,
    posts: { created: publisher?.created ?? 0, retries: publisher?.retries ?? 0, failed: publisher?.failed.slice(0, 20) ?? [], attemptFailures: publisher?.attemptFailures ?? {}, latencyMs: stats(publisher?.latencies ?? []) },
    resources,
    judged,
    mismatchedClients: mismatched.length,
    mismatchedSample: mismatched.slice(0, 20),
    timeline: sampler?.samples ?? [],
  };
}

const fmt = (key, v) => (v === undefined ? '-' : key === 'fds' ? String(v) : `${(v / MB).toFixed(1)} MB`);

export function formatReport(r) {
  const lines = [
    `soak (${r.options.mode}): ${r.totals.clients} sockets, ${r.options.ratePerSecond} POST/s, ${r.options.churnPerMinute * 100} % churn a minute, ${r.options.durationMs / 60_000} min`,
    `POSTs ${r.totals.created} (rows ${r.totals.dbRows}), received ${r.totals.received}, duplicates ${r.totals.duplicates}, gaps ${r.totals.gaps}, churned ${r.totals.churns}, server closes ${r.totals.serverCloses}`,
    `POST latency p50 ${r.posts.latencyMs.p50} ms, p99 ${r.posts.latencyMs.p99} ms, max ${r.posts.latencyMs.max} ms; load average ${r.environment.loadAverageAtStart?.join('/')} → ${r.environment.loadAverageAtEnd?.join('/')}`,
    '',
    'second half of the steady phase: median, rise (allowed), judged; rss: high-water mark over the first half, heap and fds: floor (line through each fifth\'s minimum)',
  ];
  for (const [name, q] of Object.entries(r.resources)) {
    const cell = (key) => `${fmt(key, q[key].median)} ${q[key].driftOverWindow >= 0 ? '+' : ''}${fmt(key, q[key].driftOverWindow)} (${fmt(key, q[key].allowed)})${q[key].judged ? (q[key].flat ? ' ok' : ' NOT FLAT') : ''}`;
    lines.push(`  ${name.padEnd(10)} rss ${cell('rssBytes')} | heap ${cell('heapUsedBytes')} | fds ${cell('fds')}`);
  }
  lines.push('', r.ok ? 'OK' : `FAILED:\n  ${r.failures.join('\n  ')}`);
  return lines.join('\n');
}
