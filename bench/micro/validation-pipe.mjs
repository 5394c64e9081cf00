// What validating one publish body costs the api (issue 16): the body of a
// single-recipient POST /v1/notifications through the validation pipe, N
// times, in CPU µs per call. Four ways, in this order:
//   1. main's pipe before the change: the input-safety walk, then Nest's
//      ValidationPipe with the api's options, class-validator's metadata
//      storage as it comes (it re-filters and regroups the rules per object);
//   2. the same after createValidationPipe() has cached that lookup;
//   3. createValidationPipe() itself (the cache, and no second walk for
//      prototype keys that the input-safety walk already refused);
//   4. the api's pipe as configured: the same with the publish body's fast
//      lane (publish-notification.fast-lane.ts), which this body takes.
// Every DTO of the api is loaded first, as in the server: the uncached lookup
// walks all decorated classes. The machine may be shared, so each way runs in
// rounds and the fastest round counts. Run after `npm run build`:
//   node bench/micro/validation-pipe.mjs [calls per round=5000]
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { ValidationPipe } from '@nestjs/common';
import '../../dist/apps/api/src/api.module.js';
import { createValidationPipe } from '../../dist/apps/api/src/errors/validation-pipe.js';
import { findUnsafeInput } from '../../dist/apps/api/src/errors/input-safety.js';
import { PublishNotificationDto } from '../../dist/apps/api/src/notifications/publish-notification.dto.js';
import { publishNotificationFastLane } from '../../dist/apps/api/src/notifications/publish-notification.fast-lane.js';

const N = Number(process.argv[2] ?? 5000);
const ROUNDS = 15;
const metadata = { type: 'body', metatype: PublishNotificationDto, data: undefined };
const text = 'a hundred bytes of notification data, the size of a typical small payload in the publish bench. ok';
// A fresh body per call, as each request parses its own.
const body = () => ({ recipients: ['u1'], type: 'bench', title: 'bench', data: { k: text } });

/** CPU µs per call of the fastest of ROUNDS rounds of N calls. */
async function time(label, pipe) {
  for (let i = 0; i < 2000; i++) await pipe.transform(body(), metadata); // warm up
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const cpu = process.cpuUsage();
    const wall = performance.now();
    for (let i = 0; i < N; i++) await pipe.transform(body(), metadata);
    const { user, system } = process.cpuUsage(cpu);
    best = Math.min(best, (user + system) / N);
    if (r === ROUNDS - 1) console.log(`${label.padEnd(44)} ${best.toFixed(1).padStart(7)} µs/call CPU (last round ${(((performance.now() - wall) / N) * 1000).toFixed(1)} µs wall)`);
  }
  return best;
}

const stock = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });
const before = {
  transform(value, meta) {
    if (findUnsafeInput(value, meta.data)) throw new Error('unsafe bench body');
    return stock.transform(value, meta);
  },
};
const a = await time('before: input walk + ValidationPipe', before);
const herald = createValidationPipe(); // installs the metadata cache
const b = await time('same, metadata cached', before);
const c = await time('createValidationPipe()', herald);
const d = await time('createValidationPipe([fast lane])', createValidationPipe([publishNotificationFastLane]));
console.log(`${N} calls × ${ROUNDS} rounds: cache and walk ${(a / c).toFixed(2)}× faster (cache alone ${(a / b).toFixed(2)}×), with the fast lane ${(a / d).toFixed(1)}×`);
