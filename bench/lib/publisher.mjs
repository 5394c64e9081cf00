// The HTTP side of a load client: POSTs notifications (or topic events) to the api.
//
// open loop   request i is scheduled at t0 + i/rate and stamped with that
//             time (data.sentAt) whether or not earlier requests have been
//             answered; at most `maxInFlight` are outstanding, and a request
//             that waits for a slot keeps its scheduled stamp, so queueing
//             shows up in the latency instead of being hidden (no coordinated
//             omission). Requests not sent by the deadline are `skipped`.
// closed loop `concurrency` workers each send, wait for the answer, repeat:
//             the throughput figure for ingestion; with concurrency 1 the
//             sequential round trip. `count` bounds it besides `durationMs`.
// `cycleUsers: N` names request i's one recipient `${users.prefix}${i % N}`
// (the publish-path load) instead of random users from the pool;
// `padData: n` adds an n-character string to data (its JSON ~100 bytes).
import http from 'node:http';
import { encode, newHistogram, recordMs } from './hist.mjs';
import { nowMs, sleep } from './util.mjs';

const REQUEST_TIMEOUT_MS = 15_000;
const PAD = 'x'.repeat(1024);

function pickRecipients(users, n) {
  if (n >= users.length) return users.slice(0, n);
  const picked = new Set();
  for (let guard = 0; picked.size < n && guard < n * 20; guard++) picked.add(users[Math.floor(Math.random() * users.length)]);
  return [...picked];
}

/** Users as a list, or generated from { prefix, count } so big pools need not cross IPC. */
function userList(users) {
  return Array.isArray(users) ? users : Array.from({ length: users.count }, (_, i) => `${users.prefix}${i}`);
}

function post(agent, url, token, body) {
  return new Promise((resolve) => {
    const payload = JSON.stringify(body);
    const req = http.request(url, {
      method: 'POST',
      agent,
      timeout: REQUEST_TIMEOUT_MS,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization: `Bearer ${token}` },
    });
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (err) => resolve({ error: err.code ?? 'response_error' }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    req.on('error', (err) => resolve({ error: err.code ?? err.message }));
    req.end(payload);
  });
}

/**
 * Runs one publishing phase and reports what was sent, answered and
 * expected: `deliveries` is the number of notification rows the api
 * confirmed (one per recipient), `maxSeq` (if `collectSeqs`) each
 * recipient's highest confirmed seq.
 */
export async function publish(opts) {
  const { apiUrl, token, tag, recipientsPerPost = 1, path = '/v1/notifications', collectSeqs = false } = opts;
  const users = opts.batches || opts.cycleUsers ? [] : userList(opts.users);
  const maxInFlight = opts.maxInFlight ?? opts.concurrency ?? 64;
  const agent = new http.Agent({ keepAlive: true, maxSockets: maxInFlight, localAddress: opts.localAddress });
  const hist = newHistogram();
  const r = { sent: 0, ok: 0, deliveries: 0, skipped: 0, errors: {}, maxSeq: collectSeqs ? new Map() : undefined };
  const url = apiUrl + path;

  const once = async (sentAt) => {
    const i = r.sent++;
    // A topic event (path /v1/topics/…) is type and data only.
    const data = opts.padData ? { sentAt, tag, pad: PAD.slice(0, opts.padData) } : { sentAt, tag };
    const body = path.startsWith('/v1/topics/') ? { type: 'bench', data } : { type: 'bench', title: 'bench', data };
    // Fixed recipient lists (fan-out), one cycled user, or random distinct users from the pool.
    if (path === '/v1/notifications') {
      body.recipients = opts.batches ? opts.batches[i % opts.batches.length] : opts.cycleUsers ? [`${opts.users.prefix}${i % opts.cycleUsers}`] : pickRecipients(users, recipientsPerPost);
    }
    const res = await post(agent, url, token, body);
    recordMs(hist, nowMs() - sentAt);
    if (res.status === 201) {
      r.ok++;
      const rows = path === '/v1/notifications' ? JSON.parse(res.text).notifications : [];
      r.deliveries += rows.length;
      if (collectSeqs) for (const n of rows) if ((r.maxSeq.get(n.userId) ?? 0) < n.seq) r.maxSeq.set(n.userId, n.seq);
    } else {
      const key = res.error ?? `http_${res.status}`;
      r.errors[key] = (r.errors[key] ?? 0) + 1;
    }
  };

  const t0 = nowMs() + 20;
  if (opts.mode === 'closed') {
    const end = t0 + opts.durationMs;
    const count = opts.count ?? Infinity;
    const worker = async () => {
      while (nowMs() < end && r.sent < count) await once(nowMs());
    };
    await sleep(20);
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
  } else {
    await openLoop(opts, t0, maxInFlight, once, r);
  }
  const elapsedMs = nowMs() - t0;
  agent.destroy();
  return { ...r, elapsedMs, postLatency: encode(hist), t0 };
}

async function openLoop(opts, t0, maxInFlight, once, r) {
  const total = opts.count ?? Math.round((opts.rate * opts.durationMs) / 1000);
  const interval = opts.rate === Infinity ? 0 : 1000 / opts.rate;
  // A server that fell behind does not get the backlog sent long after the window: it is counted as skipped.
  const deadline = t0 + (opts.count ? 0 : opts.durationMs) + (opts.graceMs ?? 1000);
  const inflight = new Set();
  let next = 0;
  while (next < total && nowMs() < deadline) {
    const now = nowMs();
    while (next < total && t0 + next * interval <= now && inflight.size < maxInFlight) {
      const p = once(t0 + next++ * interval).finally(() => inflight.delete(p));
      inflight.add(p);
    }
    if (inflight.size >= maxInFlight) await Promise.race(inflight);
    else if (next < total) await sleep(Math.max(0, Math.min(5, t0 + next * interval - nowMs())));
  }
  r.skipped = total - next;
  await Promise.race([Promise.all(inflight), sleep(REQUEST_TIMEOUT_MS + 1000)]);
}
