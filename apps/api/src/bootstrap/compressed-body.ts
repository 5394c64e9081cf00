import { PassThrough, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { BodyParseError } from '../errors/body-parse.error.js';

const DECODERS: Record<string, () => zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/**
 * Request bodies sent with `Content-Encoding: gzip`, `deflate` or `br`, as
 * express's body-parser took them before the move to Fastify, which takes
 * none. The body limit counts the decoded bytes (Fastify checks the stream
 * this returns), so a small compressed body cannot expand past it; the bytes
 * received are reported as `receivedEncodedLength`, which Fastify holds
 * against Content-Length. A corrupt stream or another encoding is a 400.
 */
export function acceptCompressedBodies(fastify: FastifyInstance): void {
  // A callback hook, not an async one: nearly every request takes the first
  // return, and a promise per request showed in the api's profile.
  fastify.addHook('preParsing', (req, _reply, payload, done) => {
    const encoding = req.headers['content-encoding']?.trim().toLowerCase();
    if (!encoding || encoding === 'identity') return done(null, payload);
    const decoder = DECODERS[encoding];
    if (!decoder) return done(new BodyParseError('encoding'));
    const decoded = new PassThrough() as PassThrough & { receivedEncodedLength: number };
    decoded.receivedEncodedLength = 0;
    const inflate = decoder();
    inflate.on('error', () => decoded.destroy(new BodyParseError('not_json')));
    payload.on('data', (chunk: Buffer) => (decoded.receivedEncodedLength += chunk.length));
    payload.on('error', (err) => decoded.destroy(err));
    (payload as Readable).pipe(inflate).pipe(decoded);
    done(null, decoded);
  });
}
