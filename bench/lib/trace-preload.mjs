// Where one POST /v1/notifications spends its time inside the api: loaded
// with `node --import` into a bench api process only (the scenario
// post_latency's trace phase), so production code carries no tracing at all.
// It wraps, from outside, the steps a POST goes through and stamps each
// request with hrtime marks:
//
//   request   the server emits 'request'       body      the body has been read
//             (the per-address budget, an onRequest hook, runs in between)
//   guards    Nest's guards (auth, publish budget), of which
//   limit     the publish rate limit guard     pipes     validation (ValidationPipe)
//   queued    handed to the group commit       batch     its batch starts
//   sql       BatchWriter.write (the statement) published  the group commit answers (committed, published)
//   finish    the response is written
//
// plus GC pauses (PerformanceObserver) and event-loop delay over the window.
// GET /__bench/trace (answered here, before the app sees it) returns what
// was collected since the last call and starts afresh. BENCH_TRACE_DIST is
// the dist/ the api runs from, so the wrapped classes are the ones the app uses.
import 'reflect-metadata';
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { GuardsConsumer } from '@nestjs/core/guards/guards-consumer.js';
import { PipesConsumer } from '@nestjs/core/pipes/pipes-consumer.js';

const dist = process.env.BENCH_TRACE_DIST;
const MAX_TRACES = 200_000;
const als = new AsyncLocalStorage();
const byItem = new WeakMap();
let traces = [];
let gc = [];
let lag = monitorEventLoopDelay({ resolution: 1 });
lag.enable();

const now = () => process.hrtime.bigint();
const mark = (t, name) => t && t[name] === undefined && (t[name] = now());

const load = (rel) => import(pathToFileURL(path.join(dist, rel)).href);
const { GroupCommit } = await load('apps/api/src/notifications/group-commit.js');
const { IngestService } = await load('apps/api/src/notifications/ingest.service.js');
const { BatchWriter } = await load('apps/api/src/notifications/batch-writer.js');
const { PublishRateLimitGuard } = await load('apps/api/src/rate-limit/publish-rate-limit.guard.js');

/** Wraps an async method: `before(this, args)` and `after(this, args)` around it. */
function around(proto, name, before, after) {
  const original = proto[name];
  // A step renamed since this was written goes untraced (its columns stay empty) rather than breaking the api.
  if (typeof original !== 'function') return void console.warn(`trace: no ${proto.constructor?.name}.${name} to wrap`);
  proto[name] = function (...args) {
    before(this, args);
    const result = original.apply(this, args);
    return Promise.resolve(result).finally(() => after(this, args));
  };
}

const origEmit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, req, res) {
  if (event === 'request' && req.url === '/__bench/trace') return void res.end(JSON.stringify(takeSummary()));
  if (event !== 'request' || req.method !== 'POST') return origEmit.apply(this, arguments);
  const t = { request: now() };
  // The body's 'data'/'end' come from the socket's async context, not the request's: re-enter it.
  const reqEmit = req.emit;
  req.emit = function (ev) {
    if (ev === 'end') mark(t, 'body');
    return als.run(t, () => reqEmit.apply(this, arguments));
  };
  res.once('finish', () => {
    t.finish = now();
    t.status = res.statusCode;
    if (traces.length < MAX_TRACES) traces.push(t);
  });
  return als.run(t, () => origEmit.apply(this, arguments));
};

around(GuardsConsumer.prototype, 'tryActivate', () => mark(als.getStore(), 'guardsStart'), () => mark(als.getStore(), 'guards'));
around(PublishRateLimitGuard.prototype, 'canActivate', () => mark(als.getStore(), 'limitStart'), () => mark(als.getStore(), 'limit'));
around(PipesConsumer.prototype, 'apply', () => mark(als.getStore(), 'pipesStart'), () => (als.getStore() ? (als.getStore().pipes = now()) : undefined));
const submit = GroupCommit.prototype.submit;
GroupCommit.prototype.submit = function (item) {
  const t = als.getStore();
  if (t) {
    byItem.set(item, t);
    t.queued = now();
  }
  // The group commit resolves an item once its batch committed and was published.
  return t ? submit.call(this, item).finally(() => (t.published = now())) : submit.call(this, item);
};
const each = (items, name) => items.forEach((item) => mark(byItem.get(item), name));
around(IngestService.prototype, 'commit', (_, [batch]) => each(batch, 'batch'), () => undefined);
around(BatchWriter.prototype, 'write', (_, [, requests]) => each(requests, 'sqlStart'), (_, [, requests]) => each(requests, 'sql'));
// The batch size each request travelled in.
const commit = IngestService.prototype.commit;
if (commit) IngestService.prototype.commit = function (batch) {
  for (const item of batch) {
    const t = byItem.get(item);
    if (t && t.batchSize === undefined) t.batchSize = batch.length;
  }
  return commit.call(this, batch);
};

new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gc.push(e.duration);
}).observe({ entryTypes: ['gc'] });

const ms = (a, b) => (a !== undefined && b !== undefined ? Number(b - a) / 1e6 : undefined);
/** Per request: the milliseconds of each step (undefined when a step did not happen). */
function phases(t) {
  return {
    total: ms(t.request, t.finish),
    bodyRead: ms(t.request, t.body),
    toGuards: ms(t.body, t.guardsStart),
    guards: ms(t.guardsStart, t.guards),
    publishLimit: ms(t.limitStart, t.limit),
    toPipes: ms(t.guards, t.pipesStart),
    validation: ms(t.pipesStart, t.pipes),
    toQueue: ms(t.pipes, t.queued),
    waitForBatch: ms(t.queued, t.batch),
    sql: ms(t.sqlStart, t.sql),
    publish: ms(t.sql, t.published),
    respond: ms(t.published, t.finish),
    batchSize: t.batchSize,
  };
}

function pct(xs, p) {
  if (!xs.length) return null;
  return Math.round(xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] * 1000) / 1000;
}
const mean = (xs) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1000) / 1000 : null);

function summary() {
  const rows = traces.filter((t) => t.status === 201).map(phases);
  const keys = Object.keys(phases({}));
  const sortedBy = (k, list = rows) => list.map((r) => r[k]).filter((v) => v !== undefined).sort((a, b) => a - b);
  const totals = sortedBy('total');
  const p99 = pct(totals, 99);
  const tail = rows.filter((r) => r.total >= p99 - 0.001);
  const gcSorted = [...gc].sort((a, b) => a - b);
  return {
    requests: rows.length,
    perStep: Object.fromEntries(keys.map((k) => [k, { p50: pct(sortedBy(k), 50), p99: pct(sortedBy(k), 99), max: pct(sortedBy(k), 100), mean: mean(sortedBy(k)) }])),
    // What the slowest 1 % of requests spent in each step, on average: where the tail comes from.
    slowestPercent: Object.fromEntries(keys.map((k) => [k, mean(sortedBy(k, tail))])),
    gc: { pauses: gc.length, totalMs: Math.round(gc.reduce((a, b) => a + b, 0) * 1000) / 1000, p99Ms: pct(gcSorted, 99), maxMs: pct(gcSorted, 100) },
    eventLoopDelayMs: { p50: Math.round(lag.percentile(50) / 1e3) / 1e3, p99: Math.round(lag.percentile(99) / 1e3) / 1e3, max: Math.round(lag.max / 1e3) / 1e3 },
  };
}

function takeSummary() {
  const s = summary();
  traces = [];
  gc = [];
  lag.disable();
  lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  return s;
}
