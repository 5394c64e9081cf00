// What a gateway's bookkeeping costs per notification frame it writes
// (issue 16, round 14): the frames-sent counter, the delivery-latency
// histogram (with the Date.parse of createdAt it needs) and the receipt
// buffer, each timed alone over N frames in this process, as
// ConnectionService's onSent does them, B frames at a time with the
// buffer emptied in between (untimed), as a gateway buffers about B
// between two flushes; then the receipts' flush, the gateway's CPU (this
// process's user + system time) per receipt for batches of B written to a
// real, migrated Postgres by the gateways' own DeliveryReceipts service,
// over one pg client (a gateway's pool checkout is not counted). Medians
// over the rounds; the database is dropped afterwards.
// Run after `npm run build`, on a quiet machine:
//   node bench/micro/frame-bookkeeping.mjs [N=200000] [rounds=5] [B=125]
import { performance } from 'node:perf_hooks';
import { DeliveryReceipts } from '../../dist/apps/gateway/src/receipts/delivery-receipts.service.js';
import { newNotificationId } from '../../dist/libs/database/src/notification-ids.js';
import { DeliveryReceiptsRepository } from '../../dist/libs/database/src/repositories/delivery-receipts.repository.js';
import { Metrics } from '../../dist/libs/observability/src/metrics.js';
import { dropDatabase } from '../../scripts/harness/databases.mjs';
import { ensureServices } from '../../scripts/harness/services.mjs';
import { openMigratedDatabase } from './migrated-database.mjs';

const N = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const BATCH = Number(process.argv[4] ?? 125);
const FLUSHES = 200;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const frameOf = () => ({ type: 'notification', notification: { id: newNotificationId(), createdAt: new Date(Date.now() - 3).toISOString(), seq: 1 } });

/** The receipt buffer the 'receipt buffered' step fills; its writes go nowhere. */
const buffered = new DeliveryReceipts({ markDelivered: async () => [] });

/** µs per frame of `step` over `frames`, B at a time, the receipt buffer emptied between batches outside the timing. */
async function time(step, frames) {
  let ms = 0;
  for (let i = 0; i < frames.length; i += BATCH) {
    const batch = frames.slice(i, i + BATCH);
    const t0 = performance.now();
    for (const frame of batch) step(frame);
    ms += performance.now() - t0;
    await buffered.flush();
  }
  return (ms * 1000) / frames.length;
}

const metrics = new Metrics(false);
const counter = metrics.framesSent.labels('notification');
const steps = {
  'frames-sent counter': () => counter.inc(),
  'latency histogram (with Date.parse)': (f) => metrics.deliveryLatency.observe((Date.now() - Date.parse(f.notification.createdAt)) / 1000),
  'of which Date.parse': (f) => Date.parse(f.notification.createdAt),
  'receipt buffered': (f) => buffered.written(f),
};
const perStep = Object.fromEntries(Object.keys(steps).map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, step] of Object.entries(steps)) perStep[name].push(await time(step, Array.from({ length: N }, frameOf)));
}
console.log(`per frame, median of ${ROUNDS} rounds of ${N}:`);
for (const [name, xs] of Object.entries(perStep)) console.log(`  ${name}: ${median(xs).toFixed(3)} µs (rounds ${xs.map((x) => x.toFixed(3)).join(', ')})`);

await ensureServices(() => undefined);
const name = `herald_micro_bookkeeping_${process.pid}`;
let client;
try {
  client = await openMigratedDatabase(name);
  const repository = new DeliveryReceiptsRepository({ query: async (text, values) => (await client.query(text, values)).rows });
  const receipts = new DeliveryReceipts(repository);
  const cpu = [];
  for (let round = 0; round < ROUNDS; round++) {
    const frames = Array.from({ length: FLUSHES * BATCH }, frameOf);
    const before = process.cpuUsage();
    for (let i = 0; i < frames.length; i += BATCH) {
      for (const frame of frames.slice(i, i + BATCH)) receipts.written(frame);
      await receipts.flush();
    }
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / frames.length);
  }
  console.log(`receipt flush, batches of ${BATCH}, gateway CPU per receipt (buffering included): ${median(cpu).toFixed(2)} µs (rounds ${cpu.map((x) => x.toFixed(2)).join(', ')})`);
} finally {
  await client?.end().catch(() => undefined);
  await dropDatabase(name);
}
