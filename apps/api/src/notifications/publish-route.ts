import { ForbiddenException, type ArgumentMetadata, type CanActivate, type INestApplication, type PipeTransform } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isObservable, lastValueFrom, type Observable } from 'rxjs';
import { JwtAuthGuard, type Principal } from '@herald/auth';
import type { HttpExceptionFilter } from '../errors/http-exception.filter.js';
import { PublishRateLimitGuard } from '../rate-limit/publish-rate-limit.guard.js';
import { NotificationsController } from './notifications.controller.js';
import { PublishNotificationDto } from './publish-notification.dto.js';

/** The route this file serves, as Nest hands it to Fastify. */
export const PUBLISH_ROUTE = { method: 'POST', url: '/v1/notifications' } as const;

/** What Nest passes the global pipe for the handler's `@Body()`. */
const BODY: ArgumentMetadata = { type: 'body', metatype: PublishNotificationDto, data: undefined };

/** Nest's text when a guard returns false (ours throw instead, but the answer stays Nest's). */
const FORBIDDEN_MESSAGE = 'Forbidden resource';

type PublishRequest = FastifyRequest & { user?: Principal };

/**
 * `POST /v1/notifications` without Nest's per-request layers (issue 16).
 * Nest's router, guard, pipe and param runners allocated 10.7 KB of a
 * POST's 59 KB, and the api's p99 at 1,000/s follows the scavenges those
 * bytes bring; this handler allocates 2–4 KB in their place
 * (docs/benchmarks.md, round 8).
 *
 * Nest still declares the route (the OpenAPI document, the route table,
 * the body limit and parser), and Fastify still registers it; only its
 * handler is swapped, in Fastify's onRoute hook, for one that runs the same
 * pieces in Nest's order: the global guard (JwtAuthGuard, the instance Nest
 * runs), the route's guard (PublishRateLimitGuard), the 201, the global pipe
 * on the body, the controller's own method, and the api's exception filter
 * on whatever is thrown; the answer goes out through the adapter's reply,
 * as Nest sends it. The principal, Idempotency-Key and reply are read as
 * Nest's param decorators read them; the global pipe is not run on the
 * principal, which it returns as it is (validateCustomDecorators is off).
 * `test/publish-route.e2e-spec.ts` holds this handler to Nest's, request
 * for request, and the route's and the app's enhancers and parameters to
 * the ones it runs: a guard, pipe, interceptor or parameter added to the
 * route, or a global one added to the app, fails it.
 *
 * Installed before Nest registers its routes (configureHttp); boot fails if
 * the route was never seen, so a renamed path cannot fall back in silence.
 */
export function servePublishWithoutNestLayers(app: INestApplication, pipe: PipeTransform, errors: HttpExceptionFilter): void {
  const controller = app.get(NotificationsController);
  // The global guard is the instance Nest runs (APP_GUARD useExisting). For the route guard Nest builds
  // an instance of its own; it and ApiModule's hold the one PUBLISH_RATE_LIMITER and nothing else.
  const guards: readonly CanActivate[] = [app.get(JwtAuthGuard), app.get(PublishRateLimitGuard)];
  const adapter = app.getHttpAdapter();
  const method = NotificationsController.prototype.publish;

  const publish = async (req: PublishRequest, reply: FastifyReply): Promise<FastifyReply> => {
    try {
      const context = new ExecutionContextHost([req, reply, undefined], NotificationsController, method);
      for (const guard of guards) {
        // As Nest's guard runner takes an answer: a boolean, or what it settles to, an Observable's last value if that is one.
        const answer: boolean | Promise<boolean> | Observable<boolean> = guard.canActivate(context);
        let allowed: unknown = typeof answer === 'boolean' ? answer : await answer;
        if (isObservable(allowed)) allowed = await lastValueFrom(allowed);
        if (!allowed) throw new ForbiddenException(FORBIDDEN_MESSAGE);
      }
      reply.code(201);
      const body = (await pipe.transform(req.body, BODY)) as PublishNotificationDto;
      const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
      adapter.reply(reply, await controller.publish(req.user as Principal, body, idempotencyKey, reply));
    } catch (err) {
      errors.answer(req, reply, err);
    }
    return reply;
  };

  let swapped = 0;
  const fastify = adapter.getInstance() as FastifyInstance;
  fastify.addHook('onRoute', (route) => {
    if (route.method !== PUBLISH_ROUTE.method || route.url !== PUBLISH_ROUTE.url) return;
    route.handler = publish;
    swapped++;
  });
  fastify.addHook('onReady', async () => {
    if (swapped !== 1) throw new Error(`expected Nest to register ${PUBLISH_ROUTE.method} ${PUBLISH_ROUTE.url} once, saw it ${swapped} times`);
  });
}
