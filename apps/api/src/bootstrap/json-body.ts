import type { FastifyInstance } from 'fastify';
import { BodyParseError } from '../errors/body-parse.error.js';

/**
 * The request bodies Herald reads, as they were read before the move to
 * Fastify (express's JSON body-parser, strict): `application/json` in UTF-8,
 * an object or array at the top, an empty body as `{}`; any other content
 * type is not read at all (the body stays undefined and validation answers).
 * Fastify's own parsers would answer 415 for an unknown type, 400 with its
 * own codes for an empty body, and parse `text/plain`.
 */
export function registerJsonBody(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (req, body, done) => {
    const charset = /;\s*charset=("?)([^";\s]+)\1/i.exec(req.headers['content-type'] ?? '')?.[2]?.toLowerCase();
    if (charset && charset !== 'utf-8' && charset !== 'utf8') return done(new BodyParseError('charset'), undefined);
    const text = body as string;
    if (text.length === 0) return done(null, {});
    // strict, as body-parser: the first non-blank character opens an object or an array
    // (JSON's blanks are a subset of trimStart's, and JSON.parse refuses the others anyway)
    const first = text.trimStart()[0];
    if (first !== '{' && first !== '[') return done(new BodyParseError('not_json'), undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new BodyParseError('not_json'), undefined);
    }
  });
  fastify.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
}
