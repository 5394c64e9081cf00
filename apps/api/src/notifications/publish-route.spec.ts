import { jest } from '@jest/globals';
import { ForbiddenException, type INestApplication, type PipeTransform } from '@nestjs/common';
import { of } from 'rxjs';
import { JwtAuthGuard } from '@herald/auth';
import type { HttpExceptionFilter } from '../errors/http-exception.filter.js';
import { PublishRateLimitGuard } from '../rate-limit/publish-rate-limit.guard.js';
import { NotificationsController } from './notifications.controller.js';
import { PUBLISH_ROUTE, servePublishWithoutNestLayers } from './publish-route.js';

type Hook = (...args: unknown[]) => unknown;

/** The lean handler over stub guards, pipe, controller and adapter; `answer` is what the route guard's canActivate returns. */
function setup(answer: unknown) {
  const hooks: Record<string, Hook> = {};
  const fastify = { addHook: (name: string, hook: Hook) => (hooks[name] = hook) };
  const sent: unknown[] = [];
  const adapter = { getInstance: () => fastify, reply: (_reply: unknown, body: unknown) => sent.push(body) };
  const controller = { publish: jest.fn(async () => ({ notifications: [] })) };
  const provided = new Map<unknown, unknown>([
    [NotificationsController, controller],
    [JwtAuthGuard, { canActivate: async () => true }],
    [PublishRateLimitGuard, { canActivate: () => answer }],
  ]);
  const app = { get: (token: unknown) => provided.get(token), getHttpAdapter: () => adapter } as unknown as INestApplication;
  const pipe = { transform: jest.fn(async (value: unknown) => value) };
  const errors = { answer: jest.fn() };
  servePublishWithoutNestLayers(app, pipe as PipeTransform, errors as unknown as HttpExceptionFilter);
  const route: { method: string; url: string; handler?: Hook } = { ...PUBLISH_ROUTE };
  const reply = { code: jest.fn() };
  const req = { body: { title: 'x' }, headers: { 'idempotency-key': 'k1' }, user: { sub: 'svc' } };
  return { hooks, route, run: () => route.handler?.(req, reply), controller, pipe, errors, sent, reply, req };
}

describe('the lean publish handler', () => {
  it.each([
    ['false', false],
    ['a promise of false', Promise.resolve(false)],
    ['an Observable of false', of(false)],
    ['a promise of an Observable of false', Promise.resolve(of(false))],
  ])('answers 403 through the filter when a guard answers %s, as Nest does', async (_name, answer) => {
    const { hooks, route, run, controller, errors } = setup(answer);
    hooks.onRoute(route);

    await run();

    expect(errors.answer).toHaveBeenCalledWith(expect.anything(), expect.anything(), expect.any(ForbiddenException));
    expect((errors.answer.mock.calls[0][2] as ForbiddenException).message).toBe('Forbidden resource');
    expect(controller.publish).not.toHaveBeenCalled();
  });

  it.each([
    ['true', true],
    ['a promise of true', Promise.resolve(true)],
    ['an Observable of true', of(true)],
    ['a promise of an Observable of true', Promise.resolve(of(true))],
  ])('runs the pipe and the controller and replies 201 when a guard answers %s', async (_name, answer) => {
    const { hooks, route, run, controller, pipe, errors, sent, reply, req } = setup(answer);
    hooks.onRoute(route);

    await run();

    expect(errors.answer).not.toHaveBeenCalled();
    expect(reply.code).toHaveBeenCalledWith(201);
    expect(pipe.transform).toHaveBeenCalledWith(req.body, expect.objectContaining({ type: 'body' }));
    expect(controller.publish).toHaveBeenCalledWith(req.user, req.body, 'k1', reply);
    expect(sent).toEqual([{ notifications: [] }]);
  });

  it('answers what the pipe throws through the filter, and never calls the controller', async () => {
    const { hooks, route, run, controller, pipe, errors } = setup(true);
    const refused = new Error('invalid fields: title');
    pipe.transform.mockRejectedValueOnce(refused);
    hooks.onRoute(route);

    await run();

    expect(errors.answer).toHaveBeenCalledWith(expect.anything(), expect.anything(), refused);
    expect(controller.publish).not.toHaveBeenCalled();
  });

  it('leaves other routes alone, and fails boot unless it swapped the publish route exactly once', async () => {
    const { hooks, route } = setup(true);
    const other = { method: 'GET', url: '/v1/notifications', handler: undefined };
    hooks.onRoute(other);
    expect(other.handler).toBeUndefined();
    await expect(hooks.onReady()).rejects.toThrow(/POST \/v1\/notifications once, saw it 0 times/);

    hooks.onRoute(route);
    expect(route.handler).toBeInstanceOf(Function);
    await expect(hooks.onReady()).resolves.toBeUndefined();
  });
});
