import type { Socket } from 'node:net';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { HTTP_REQUEST_TIMEOUT_MS, type HeraldConfig } from '@herald/config';
import { ErrorCode } from '@herald/contracts';
import { HeraldError } from '@herald/errors';
import { HTTP_STATUS } from '../errors/http-status.js';
import { bodyError, toBody } from '../errors/http-exception.filter.js';
import { acceptCompressedBodies } from './compressed-body.js';
import { registerJsonBody } from './json-body.js';

/**
 * The api's HTTP server: Nest on Fastify (issue 16: express, its router and
 * body-parser were a sixth of the api's CPU per POST). Routing is set to
 * answer as express did, so no client sees the switch: paths match with or
 * without a trailing slash and in any letter case, and a path parameter is
 * not cut at Fastify's default 100 characters (validation bounds it, with
 * a stable code, not the router with a 404). Client addresses are worked
 * out by ClientAddress (HERALD_TRUSTED_PROXIES), never by the framework.
 */
export function createHttpAdapter(config: Pick<HeraldConfig, 'http'>): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimit,
    trustProxy: false,
    requestTimeout: HTTP_REQUEST_TIMEOUT_MS,
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: 2048 },
    frameworkErrors: answerRouterError,
    clientErrorHandler: answerAsNodeDoes,
  });
  registerJsonBody(adapter.getInstance(), config.http.bodyLimit);
  acceptCompressedBodies(adapter.getInstance());
  return adapter;
}

/**
 * A request Node's parser could not read (a bad header, a body longer than
 * its Content-Length): the bare status line Node itself sends, where Fastify
 * would send a body of its own format.
 */
function answerAsNodeDoes(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return void socket.destroy();
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
}

/**
 * What the router refuses before Nest sees the request (a URL that does not
 * decode, a parameter past maxParamLength): our shape and code, as every
 * other answer. Fastify's own reply here would quote the URL back.
 */
function answerRouterError(error: Error, _req: unknown, reply: FastifyReply): void {
  const answer = toBody(bodyError(error) ?? new HeraldError(ErrorCode.ValidationFailed, 'malformed request'));
  void reply.code(HTTP_STATUS[answer.code]).type('application/json; charset=utf-8').send(JSON.stringify(answer));
}
