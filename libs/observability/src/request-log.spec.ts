import { Writable } from 'node:stream';
import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import Fastify, { type FastifyInstance } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { pino } from 'pino';
import { logRequests } from './request-log.js';

/** A Fastify app behind the shape logRequests reads from a Nest app, and the lines its root logger wrote. */
function setup(level = 'info'): { fastify: FastifyInstance; lines: Record<string, any>[]; root: pino.Logger } {
  const lines: Record<string, any>[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
  const root = pino({ level, base: { app: 'spec' }, serializers: { req: (r) => ({ id: r.id, method: r.method, url: r.url }), res: (r) => ({ statusCode: r.statusCode }) } }, sink);
  (PinoLogger as unknown as { root: unknown }).root = root;
  const fastify = Fastify();
  fastify.get('/ok', async () => ({ ok: true }));
  fastify.get('/boom', async (_req, reply) => reply.code(503).send({ code: 'unavailable' }));
  fastify.get('/healthz', async () => ({ ok: true }));
  logRequests({ getHttpAdapter: () => ({ getInstance: () => fastify }) } as unknown as INestApplication);
  return { fastify, lines, root };
}

describe('logRequests', () => {
  afterEach(() => ((PinoLogger as unknown as { root: unknown }).root = undefined));

  it('writes one line per answered request, "request errored" with an err for a 5xx, and none for health probes', async () => {
    const { fastify, lines } = setup();
    const base = await fastify.listen({ port: 0, host: '127.0.0.1' });
    for (const path of ['/ok?x=1', '/boom', '/healthz']) await (await fetch(base + path)).text();
    await new Promise((r) => setTimeout(r, 50)); // onResponse runs once the answer is flushed, maybe after the client read it
    await fastify.close();

    expect(lines.map((l) => [l.msg, l.req.url, l.res.statusCode, typeof l.responseTime])).toEqual([
      ['request completed', '/ok?x=1', 200, 'number'],
      ['request errored', '/boom', 503, 'number'],
    ]);
    expect(lines[1].err.message).toBe('failed with status code 503');
    expect(lines[0].err).toBeUndefined();
  });

  it('writes nothing while the level is above info, and lines again once it is lowered', async () => {
    const { fastify, lines, root } = setup('warn');
    const info = jest.spyOn(root, 'info');
    const base = await fastify.listen({ port: 0, host: '127.0.0.1' });
    try {
      await (await fetch(base + '/boom')).text();
      await new Promise((r) => setTimeout(r, 50));
      expect(info).not.toHaveBeenCalled(); // not even handed a line to drop
      root.level = 'info';
      await (await fetch(base + '/ok')).text();
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      await fastify.close();
    }

    expect(lines.map((l) => [l.msg, l.req.url])).toEqual([['request completed', '/ok']]);
  });

  it('refuses an app without the app logger, rather than logging nothing', () => {
    expect(() => logRequests({} as INestApplication)).toThrow(/LoggerModule/);
  });
});
