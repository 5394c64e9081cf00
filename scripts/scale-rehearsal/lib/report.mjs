// Turns what the run recorded into the JSON report and the table on stdout,
// and decides pass/fail.
import { stats } from './util.mjs';

const LIST_LIMIT = 50;

const lastOfPhase = (timeline, phase) => timeline.filter((s) => s.phase === phase).at(-1);
/** Gateways up (ready once) at a sample, whether or not their /metrics answered in time; booting ones do not count. */
const gatewaysIn = (sample) => (sample ? Object.keys(sample.connections).length + sample.unanswered.length : 0);
const sum = (values) => values.reduce((a, b) => a + b, 0);

/** Mean share of a CPU per process over a phase's samples. */
function meanCpu(samples) {
  const totals = {};
  for (const s of samples) for (const [name, share] of Object.entries(s.cpu ?? {})) (totals[name] ??= []).push(share);
  return Object.fromEntries(Object.entries(totals).map(([name, v]) => [name, +(sum(v) / v.length).toFixed(2)]));
}

function mergeCounts(list) {
  const out = {};
  for (const counts of list) for (const [k, v] of Object.entries(counts)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/**
 * @param {object} run everything run.mjs recorded
 * @returns the JSON report; `report.ok` and `report.failures` carry the verdict
 */
export function buildReport(run) {
  const { options, clients, publisher, sampler, gateways, phases, dbRows, errors, caughtUp } = run;
  const timeline = sampler?.samples ?? [];
  const perClient = clients.map((c) => ({
    userId: c.userId,
    sent: publisher?.sent.get(c.userId) ?? 0,
    received: c.received,
    lastSeq: c.lastSeq,
    dbRows: dbRows?.get(c.userId)?.rows ?? 0,
    duplicates: c.duplicates,
    gaps: c.gaps,
    reconnects: c.reconnects,
    churns: c.churns,
    errors: c.errors.slice(0, 5),
  }));
  const mismatched = perClient.filter((c) => c.sent !== c.received || c.lastSeq !== c.sent || c.duplicates || c.gaps || c.errors.length);
  const peakSample = lastOfPhase(timeline, 'peak');
  const endSample = timeline.at(-1);
  const totals = {
    clients: clients.length,
    sent: sum(perClient.map((c) => c.sent)),
    received: sum(perClient.map((c) => c.received)),
    duplicates: sum(perClient.map((c) => c.duplicates)),
    gaps: sum(perClient.map((c) => c.gaps)),
    dbRows: dbRows ? sum([...dbRows.values()].map((r) => r.rows)) : null,
  };
  const byCode = mergeCounts(clients.map((c) => c.closes));
  const reconnects = {
    total: sum(Object.values(byCode)),
    byCode,
    clientsReconnected: clients.filter((c) => c.reconnects > 0).length,
    churn: sum(clients.map((c) => c.churns)),
    failedHandshakes: mergeCounts(clients.map((c) => c.failedAttempts)),
  };

  const failures = [...errors];
  if (mismatched.length) failures.push(`${mismatched.length} client(s) with sent != received, duplicates, gaps or errors`);
  if (totals.dbRows !== null && totals.dbRows !== totals.sent) failures.push(`Postgres holds ${totals.dbRows} rows for ${totals.sent} POSTs answered 201`);
  if (publisher?.failed.length) failures.push(`${publisher.failed.length} POST(s) never answered 201`);
  // After an abort these would only restate it.
  if (!errors.some((e) => e.startsWith('aborted'))) {
    if (!caughtUp) failures.push('clients did not catch up within the catch-up window');
    if (gatewaysIn(peakSample) !== run.scale.peak) failures.push(`${gatewaysIn(peakSample)} gateways reported at the peak, expected ${run.scale.peak}`);
    if (gatewaysIn(endSample) !== run.scale.final) failures.push(`${gatewaysIn(endSample)} gateways reported at the end, expected ${run.scale.final}`);
  }
  for (const g of gateways) if (g.exit?.killed) failures.push(`${g.name} did not exit within its grace period and was SIGKILLed`);

  return {
    ok: failures.length === 0,
    failures,
    mode: options.mode,
    options: { ...options, out: undefined },
    startedAt: run.startedAt,
    durationMs: run.durationMs,
    environment: run.environment,
    phases: phases.map((p) => {
      const inPhase = timeline.filter((s) => s.phase === p.name);
      const posted = inPhase.length > 1 ? inPhase.at(-1).posts.answered - inPhase[0].posts.answered : 0;
      const spanMs = inPhase.length > 1 ? inPhase.at(-1).t - inPhase[0].t : 0;
      return { ...p, postsPerSecond: spanMs ? Math.round((posted * 1000) / spanMs) : null, cpu: meanCpu(inPhase) };
    }),
    gateways: gateways.map((g) => ({
      ...g,
      peakConnections: Math.max(0, ...timeline.map((s) => s.connections[g.name] ?? 0)),
    })),
    peak: { gateways: gatewaysIn(peakSample), connections: peakSample?.connections ?? {} },
    end: { gateways: gatewaysIn(endSample), connections: endSample?.connections ?? {} },
    reconnects,
    publishing: publisher && {
      ratePerSecond: options.ratePerSecond,
      issued: publisher.issued,
      created: publisher.created,
      retries: publisher.retries,
      attemptFailures: publisher.attemptFailures,
      maxInFlight: publisher.maxInFlight,
      achievedPerSecond: run.publishMs ? Math.round((publisher.created * 1000) / run.publishMs) : null,
      postLatencyMs: stats(publisher.latencies),
      failedCount: publisher.failed.length,
      failed: publisher.failed.slice(0, LIST_LIMIT),
    },
    totals,
    mismatchedClients: mismatched.length,
    mismatches: mismatched.slice(0, LIST_LIMIT),
    latencyMs: { live: stats(run.latency.live), replayed: stats(run.latency.replayed) },
    /** From the server closing a live socket to the client being live again elsewhere (after `synced`). */
    offlineMs: stats(run.latency.offline),
    /** The same, by step of the last (successful) attempt; backoff includes earlier failed attempts. */
    offlineStepsMs: Object.fromEntries(Object.entries(run.latency.offlineSteps).map(([step, values]) => [step, stats(values)])),
    timeline,
    clients: perClient.map(({ userId, sent, received, reconnects: r, churns }) => ({ userId, sent, received, reconnects: r, churns })),
  };
}

const pad = (value, width) => String(value ?? '').padStart(width);

/** The report as text for a terminal or a CI log. */
export function formatReport(report, maxRows = 60) {
  const o = report.options;
  const lines = [];
  const env = report.environment;
  lines.push(`Herald scale rehearsal (${report.mode}): ${o.clients} clients, ${o.ratePerSecond} POST/s, HERALD_DRAIN_MS=${o.drainMs}, ${(report.durationMs / 1000).toFixed(1)} s`);
  lines.push(`${env.cpus} CPUs, load average ${env.loadAverageAtStart?.[0]} at start, ${env.loadAverageAtEnd?.[0]} at the end; nginx ${env.nginx}, Node ${env.node}`);
  if (env.harness) {
    const d = env.harness.eventLoopDelayMs;
    lines.push(`harness (clients + publisher): ${Math.round(env.harness.cpuShare * 100)} % of a CPU, event-loop delay p50 ${d.p50} ms, p99 ${d.p99} ms, max ${d.max} ms`);
  }
  lines.push('');
  lines.push('phase        start(s)  duration(s)  POST/s  gateways in nginx');
  for (const p of report.phases) {
    lines.push(`${p.name.padEnd(12)} ${pad((p.startMs / 1000).toFixed(1), 8)}  ${pad((p.durationMs / 1000).toFixed(1), 11)}  ${pad(p.postsPerSecond ?? '-', 6)}  ${p.gateways.join(' ')}`);
  }
  lines.push('');
  const names = report.gateways.map((g) => g.name);
  const procs = ['api', ...names, 'nginx', 'harness'];
  lines.push('CPU per process, mean share of one core (from /proc; harness = this script: clients, publisher)');
  lines.push(`phase       ${procs.map((n) => pad(n, 8)).join('')}   harness event-loop delay p99/max (ms)`);
  for (const p of report.phases) {
    const lag = p.harnessLoopDelayMs ? `${p.harnessLoopDelayMs.p99}/${p.harnessLoopDelayMs.max}` : '-';
    lines.push(`${p.name.padEnd(10)}  ${procs.map((n) => pad(p.cpu?.[n] ?? '-', 8)).join('')}   ${pad(lag, 12)}`);
  }
  lines.push('');
  const step = Math.max(1, Math.ceil(report.timeline.length / maxRows));
  lines.push(`connections per gateway (its /metrics; ^ = starting, * = draining, ? = /metrics too slow, - = not running)${step > 1 ? `, every ${step}th sample` : ''}`);
  lines.push(`  t(s)  phase       ${names.map((n) => pad(n, 6)).join('')}   total   live clients`);
  report.timeline.forEach((s, i) => {
    if (i % step !== 0 && i !== report.timeline.length - 1) return;
    const cell = (n) => (n in s.connections ? s.connections[n] : s.unanswered.includes(n) ? '?' : s.starting?.includes(n) ? '^' : '-');
    const cells = names.map((n) => `${cell(n)}${s.draining.includes(n) ? '*' : ''}`);
    lines.push(`${pad((s.t / 1000).toFixed(1), 6)}  ${s.phase.padEnd(10)}  ${cells.map((c) => pad(c, 6)).join('')}  ${pad(sum(Object.values(s.connections)), 6)}  ${pad(s.clientsLive, 13)}`);
  });
  lines.push('');
  const ms = (s) => (s.count ? `p50 ${s.p50} ms, p99 ${s.p99} ms, max ${s.max} ms (${s.count})` : 'none');
  const r = report.reconnects;
  const codes = Object.entries(r.byCode).map(([code, n]) => `${code} × ${n}`).join(', ') || 'none';
  const failed = Object.entries(r.failedHandshakes).map(([code, n]) => `${code} × ${n}`).join(', ') || 'none';
  lines.push(`reconnects (server closed a live socket): ${r.total} [${codes}] over ${r.clientsReconnected} clients`);
  lines.push(`page reloads (client closed, resumed):   ${r.churn}; failed handshakes: ${failed}`);
  const t = report.totals;
  lines.push(`notifications: sent (201) ${t.sent}, received ${t.received}, rows in Postgres ${t.dbRows}, duplicates ${t.duplicates}, gaps ${t.gaps}`);
  const pub = report.publishing;
  if (pub) lines.push(`publishing: ${pub.achievedPerSecond} POST/s achieved of ${pub.ratePerSecond}; round trip ${ms(pub.postLatencyMs)}; most in flight ${pub.maxInFlight}`);
  const why = Object.entries(report.publishing?.attemptFailures ?? {}).map(([k, n]) => `${k} × ${n}`).join(', ');
  lines.push(`clients: ${t.clients}, mismatched ${report.mismatchedClients}; POSTs retried ${report.publishing?.retries ?? 0}${why ? ` (${why})` : ''}, never 201 ${report.publishing?.failedCount ?? 0}`);
  lines.push(`delivery latency (createdAt → client): live ${ms(report.latencyMs.live)}`);
  lines.push(`  replayed on resume (includes the time offline): ${ms(report.latencyMs.replayed)}`);
  lines.push(`offline after a server close (close → synced elsewhere): ${ms(report.offlineMs)}`);
  for (const [step, what] of [['backoff', 'close → next attempt'], ['upgrade', 'TLS + upgrade via nginx'], ['welcome', 'upgrade → welcome'], ['resume', 'welcome → synced']]) {
    lines.push(`  ${what.padEnd(24)} ${ms(report.offlineStepsMs[step])}`);
  }
  lines.push('');
  lines.push(report.ok ? 'RESULT: PASS' : `RESULT: FAIL\n  - ${report.failures.join('\n  - ')}`);
  return lines.join('\n');
}
