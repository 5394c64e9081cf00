// HS256 tokens for the bench: the service token that publishes, and a
// random secret per run (both processes under test and clients get it).
import { createSecretKey, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';

export const newSecret = () => randomBytes(32).toString('hex');

/**
 * The secret as a KeyObject: given a string, jsonwebtoken first tries (and
 * fails) to parse it as a PEM key on every call, ~0.5 ms of CPU here (see
 * bench/micro/jwt-key.mjs); with a KeyObject a sign or verify is ~10 µs.
 */
export const secretKey = (secret) => createSecretKey(Buffer.from(secret));

export const serviceToken = (secret) =>
  jwt.sign({ sub: 'bench', scope: 'notifications:publish notifications:admin' }, secretKey(secret), { algorithm: 'HS256', expiresIn: '3h' });

/** A user's socket token. */
export const userToken = (key, sub) => jwt.sign({ sub }, key, { algorithm: 'HS256', expiresIn: '3h' });
