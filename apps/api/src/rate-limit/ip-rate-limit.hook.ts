import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { LimitName, RateLimits, unlimited } from '@herald/bus';
import { RateLimitedError } from '@herald/errors';
import { addressKey, ClientAddress } from '@herald/observability';
import type { HttpExceptionFilter } from '../errors/http-exception.filter.js';

/** The health probes' routes: a 429 on /readyz would take the pod out of its load balancer. */
const EXEMPT_ROUTES = new Set(['/healthz', '/readyz']);

/**
 * Every HTTP request spends one point of its client address's budget
 * (HERALD_IP_REQUESTS_PER_SECOND) as it arrives, in Fastify's onRequest
 * hook: before its body is read and parsed and before its token is looked
 * at, so a flood from one address costs the api neither (as a Nest guard it
 * ran after Fastify had parsed up to a body limit of JSON). Requests for
 * unknown routes spend it too. The refusal is answered by the api's
 * exception filter, as any other error.
 */
export function limitRequestsPerAddress(app: INestApplication, errors: HttpExceptionFilter): void {
  const limits = app.get(RateLimits);
  const address = app.get(ClientAddress);
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  fastify.addHook('onRequest', async (request, reply) => {
    const limiter = limits.get(LimitName.IpRequests);
    // Budget off (0): no address to work out (trusted proxies, IPv6 /64) on every request.
    if (limiter === unlimited || EXEMPT_ROUTES.has(request.routeOptions.url ?? '')) return;
    try {
      const decision = await limiter.consume(addressKey(address.of(request)));
      if (decision.allowed) return;
      errors.answer(request, reply, new RateLimitedError('request rate limit exceeded for this address', decision.retryAfterMs / 1000));
    } catch (err) {
      errors.answer(request, reply, err);
    }
    return reply;
  });
}
