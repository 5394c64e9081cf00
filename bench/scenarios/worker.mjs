// The worker (issue 15): audience fan-out in rows/s at 100,000 members, and
// web push jobs/s through a push endpoint inside this process (loopback).
// One api and one worker process on their own database; the audience and
// the push subscriptions are set up with SQL (not measured).
import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import webpush from 'web-push';
import { sleep } from '../../scripts/harness/wait.mjs';
import { contentionFlags, startContention } from '../lib/contention.mjs';
import { withDeployment } from '../lib/deploy.mjs';
import { cpuMeter } from '../lib/procs.mjs';
import { startWorker } from '../lib/system.mjs';
import { log } from '../lib/util.mjs';

const post = (url, token, body) =>
  fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function until(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** A push service that accepts everything and counts. */
async function pushEndpoint() {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(201).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/push/`, count: () => received, close: () => new Promise((r) => server.close(r)) };
}

async function audience(ctx, { system, db }, members) {
  await db.query(`INSERT INTO audience_members (audience, user_id) SELECT 'bench', 'aud' || lpad(g::text, 7, '0') FROM generate_series(1, $1) g`, [members]);
  const stopContention = startContention();
  const res = await post(`${system.api.url}/v1/notifications`, ctx.serviceToken, { audience: 'bench', type: 'bench.launch', title: 'Launch' });
  if (res.status !== 202) throw new Error(`audience POST answered ${res.status}`);
  const { send } = await res.json();
  await until(async () => (await db.query('SELECT status FROM sends WHERE id = $1', [send.id]))[0].status === 'done', 300_000, 'the fan-out');
  const contention = await stopContention();
  const [row] = await db.query(
    `SELECT done, extract(epoch FROM finished_at - created_at) AS accept_to_done,
            (SELECT count(*)::int FROM notifications WHERE type = 'bench.launch') AS rows FROM sends WHERE id = $1`,
    [send.id],
  );
  const seconds = Number(row.accept_to_done);
  return { members, rows: row.rows, seconds, rowsPerSecond: row.rows / seconds, contention };
}

async function webPush(ctx, { system, db }, worker, endpoint, subscribers) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const users = Array.from({ length: subscribers }, (_, i) => `push${String(i).padStart(6, '0')}`);
  await db.query(
    `INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth)
       SELECT gen_random_uuid(), u, $2 || u, $3, $4 FROM unnest($1::varchar[]) AS t(u)`,
    [users, endpoint.url, ecdh.getPublicKey().toString('base64url'), randomBytes(16).toString('base64url')],
  );
  const stopContention = startContention();
  const stopCpu = cpuMeter([worker]);
  const t0 = Date.now();
  for (let i = 0; i < users.length; i += 1000) {
    const res = await post(`${system.api.url}/v1/notifications`, ctx.serviceToken, { recipients: users.slice(i, i + 1000), type: 'bench.push', title: 'Ping', body: randomUUID() });
    if (res.status !== 201) throw new Error(`push POST answered ${res.status}`);
  }
  await until(() => endpoint.count() >= subscribers, 300_000, 'every push');
  const seconds = (Date.now() - t0) / 1000;
  const cpu = stopCpu();
  const contention = await stopContention();
  return { pushes: endpoint.count(), seconds, jobsPerSecond: subscribers / seconds, workerCpuMsPerPush: (cpu.total * 1000) / subscribers, contention };
}

export async function runWorker(ctx, cfg) {
  const endpoint = await pushEndpoint();
  const vapid = webpush.generateVAPIDKeys();
  try {
    return await withDeployment(ctx, 'herald', { gateways: 0 }, async (deployment) => {
      const worker = await startWorker({
        ...deployment.env, HERALD_ALLOW_PRIVATE_ENDPOINTS: 'true', HERALD_VAPID_PUBLIC_KEY: vapid.publicKey, HERALD_VAPID_PRIVATE_KEY: vapid.privateKey,
        HERALD_PUSH_DELAY_MS: '0', HERALD_OUTBOX_POLL_MS: '50',
      });
      try {
        const fan = await audience(ctx, deployment, cfg.audienceMembers);
        log(`  worker audience: ${fan.rows} rows in ${fan.seconds.toFixed(2)} s = ${Math.round(fan.rowsPerSecond)} rows/s`);
        ctx.figures.add({
          key: 'worker.audience_rows_per_s', scenario: 'worker', label: `audience fan-out, ${cfg.audienceMembers.toLocaleString('en')} members (accept to done)`,
          value: fan.rowsPerSecond, unit: 'rows/s', flags: contentionFlags(fan.contention), runs: [fan.rowsPerSecond],
        });
        const push = await webPush(ctx, deployment, worker, endpoint, cfg.pushSubscribers);
        log(`  worker web push: ${push.pushes} pushes in ${push.seconds.toFixed(2)} s = ${Math.round(push.jobsPerSecond)} jobs/s, ${push.workerCpuMsPerPush.toFixed(2)} ms worker CPU each`);
        ctx.figures.add({
          key: 'worker.push_jobs_per_s', scenario: 'worker', label: `web push jobs, ${cfg.pushSubscribers.toLocaleString('en')} subscribers, local push endpoint (POST to last push)`,
          value: push.jobsPerSecond, unit: 'jobs/s', flags: contentionFlags(push.contention), runs: [push.jobsPerSecond],
        });
        return { audience: fan, webPush: push };
      } finally {
        await worker.stop(25_000);
      }
    });
  } finally {
    await endpoint.close();
  }
}
