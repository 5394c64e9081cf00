// The figures of one inbox size: Herald's own read queries (NotificationReader
// from dist/, the SQL the api and the gateways run) for random users, and
// single-recipient POSTs through a real api process, closed loop.
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { DIST_DIR } from '../../scripts/harness/paths.mjs';
import { newHistogram, recordMs, summarize } from '../lib/hist.mjs';
import { nowMs, sleep } from '../lib/util.mjs';

const DATA = { k: 'x'.repeat(92) };
const load = () => os.loadavg().map((x) => Math.round(x * 100) / 100);

/** `samples` calls of `call(i)` with `concurrency` in flight, after `warmup` unmeasured ones. */
async function latency(call, { samples, warmup, concurrency }) {
  const h = newHistogram();
  let next = 0;
  const total = warmup + samples;
  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      const t = nowMs();
      await call(i);
      if (i >= warmup) recordMs(h, nowMs() - t);
    }
  };
  const loadBefore = load();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ...summarize(h), loadBefore, loadAfter: load() };
}

/** Inbox list (newest 20), unread count, and resume (everything after a random seq, up to 100), for random users. */
export async function measureReads(url, { users, perUser }, opts) {
  const lib = (file) => import(pathToFileURL(path.join(DIST_DIR, 'libs/database/src', file)).href);
  const { NotificationReader } = await lib('repositories/notification-reader.js');
  const { queryConfig } = await lib('prepared.js');
  const pool = new pg.Pool({ connectionString: url, max: opts.concurrency });
  // As Database.query sends them: statements the reader marks prepared go by name.
  const reader = new NotificationReader({ query: (sql, params) => pool.query(queryConfig(sql, params)).then((r) => r.rows) });
  const user = () => `u${Math.floor(Math.random() * users)}`;
  try {
    const list = await latency(() => reader.list(user(), { limit: 20 }), opts);
    const unread = await latency(() => reader.userState(user()), opts);
    const resume = await latency(() => reader.after(user(), Math.floor(Math.random() * perUser), 100), opts);
    return { list, unread, resume };
  } finally {
    await pool.end();
  }
}

/** Single-recipient POSTs to random users, `concurrency` in flight, for `durationMs` after a warm-up: rows per second. */
export async function measureIngest(apiUrl, token, { users }, { concurrency, warmupMs, durationMs }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const post = () =>
    new Promise((resolve) => {
      const body = JSON.stringify({ recipients: [`u${Math.floor(Math.random() * users)}`], type: 'bench', title: 'bench', data: DATA });
      const req = http.request(`${apiUrl}/v1/notifications`, {
        method: 'POST', agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 201));
      });
      req.on('error', () => resolve(false));
      req.end(body);
    });
  const run = async (ms) => {
    const end = Date.now() + ms;
    let ok = 0;
    let failed = 0;
    const h = newHistogram();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const t = nowMs();
        if (await post()) ok++;
        else failed++;
        recordMs(h, nowMs() - t);
      }
    }));
    return { ok, failed, latency: summarize(h) };
  };
  const warm = await run(warmupMs);
  await sleep(500);
  const loadBefore = load();
  const t0 = Date.now();
  const res = await run(durationMs);
  const seconds = (Date.now() - t0) / 1000;
  agent.destroy();
  return { rowsPerSecond: Math.round(res.ok / seconds), failed: res.failed, inserted: warm.ok + res.ok, postLatency: res.latency, loadBefore, loadAfter: load() };
}
