// Micro-benchmark behind a recommendation in docs/benchmarks.md: jsonwebtoken
// given the HS256 secret as a string first tries to parse it as a PEM public
// (verify) or private (sign) key, and that failing parse is most of the cost.
// Given a KeyObject (crypto.createSecretKey) it goes straight to the HMAC.
// Run: node bench/micro/jwt-key.mjs
import { createSecretKey, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import jwt from 'jsonwebtoken';

const N = 3000;
const secret = randomBytes(32).toString('hex');
const key = createSecretKey(Buffer.from(secret));
const token = jwt.sign({ sub: 'alice' }, key, { algorithm: 'HS256', expiresIn: '1h' });

function time(label, fn) {
  for (let i = 0; i < 200; i++) fn(i); // warm up
  const t = performance.now();
  for (let i = 0; i < N; i++) fn(i);
  const us = ((performance.now() - t) / N) * 1000;
  console.log(`${label.padEnd(36)} ${us.toFixed(1).padStart(8)} µs/op`);
  return us;
}

const a = time('verify, secret as string', () => jwt.verify(token, secret, { algorithms: ['HS256'] }));
const b = time('verify, secret as KeyObject', () => jwt.verify(token, key, { algorithms: ['HS256'] }));
const c = time('sign, secret as string', (i) => jwt.sign({ sub: `u${i}` }, secret, { algorithm: 'HS256', expiresIn: '1h' }));
const d = time('sign, secret as KeyObject', (i) => jwt.sign({ sub: `u${i}` }, key, { algorithm: 'HS256', expiresIn: '1h' }));
console.log(`verify ${(a / b).toFixed(1)}× faster with a KeyObject, sign ${(c / d).toFixed(1)}×`);
