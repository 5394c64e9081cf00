// HS256 secrets and tokens for harnesses that run outside the TypeScript
// build (the bench, the scale rehearsal). Herald verifies them with the same
// secret; the tests sign through @herald/auth instead.
import { createSecretKey, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';

/** A random HS256 secret for one run (the processes under test and their clients get it). */
export const newSecret = () => randomBytes(32).toString('hex');

/**
 * The secret as a KeyObject: given a string, jsonwebtoken first tries (and
 * fails) to parse it as a PEM key on every call, ~0.5 ms of CPU (see
 * bench/micro/jwt-key.mjs); with a KeyObject a sign or verify is ~10 µs.
 */
export const secretKey = (secret) => createSecretKey(Buffer.from(secret));

/** An HS256 token with `claims` (sub, scope …) that expires after `expiresIn` (seconds, or a string such as '3h'). */
export const signHs256 = (key, claims, expiresIn) => jwt.sign(claims, key, { algorithm: 'HS256', expiresIn });
