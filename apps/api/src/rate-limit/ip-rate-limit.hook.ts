import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LimitName, RateLimits, unlimited } from '@herald/bus';
import { addressKey, ClientAddress, isProbeRequest } from '@herald/observability';
import type { HttpExceptionFilter } from '../errors/http-exception.filter.js';
import { admitOrThrow } from './rate-limited.js';

/**
 * Every HTTP request spends one point of its client address's budget
 * (HERALD_IP_REQUESTS_PER_SECOND) as it arrives, in Fastify's onRequest
 * hook: before its body is parsed and its token verified, so a flood from
 * one address costs the api neither. Unknown routes spend it too; the
 * health probes never do. The refusal is answered by the api's exception
 * filter, as any other error. With the budget off (0) no hook is installed:
 * the budgets are fixed at boot.
 */
export function limitRequestsPerAddress(app: INestApplication, errors: HttpExceptionFilter): void {
  const limiter = app.get(RateLimits).get(LimitName.IpRequests);
  if (limiter === unlimited) return;
  const address = app.get(ClientAddress);
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  fastify.addHook('onRequest', async (request, reply) => {
    if (isProbeRequest(request.url)) return;
    try {
      admitOrThrow(await limiter.consume(addressKey(address.of(request))), 'request rate limit exceeded for this address');
    } catch (err) {
      if (declaresBody(request)) reply.header('Connection', 'close');
      errors.answer(request, reply, err);
      return reply;
    }
  });
}

/**
 * A refused request's body is never read. Node would drain it to keep the
 * connection (as long as the sender goes on, no body limit applies to a
 * drain), so the connection is closed instead.
 */
function declaresBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
