import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import {
  EXCEPTION_FILTERS_METADATA, GUARDS_METADATA, HEADERS_METADATA, HTTP_CODE_METADATA, INTERCEPTORS_METADATA, PIPES_METADATA, ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { GuardsConsumer } from '@nestjs/core/guards/guards-consumer.js';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@herald/config';
import { CurrentPrincipal, signToken } from '@herald/auth';
import { Scope } from '@herald/contracts';
import { createApiApp } from '../apps/api/src/create-api-app.js';
import { NotificationsController } from '../apps/api/src/notifications/notifications.controller.js';
import { PublishRateLimitGuard } from '../apps/api/src/rate-limit/publish-rate-limit.guard.js';
import { expectOnlyEnhancersTheLeanPublishRuns } from './support/publish-route-enhancers.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { startTestSystem, type TestSystem } from './support/test-system.js';

/** What @CurrentPrincipal writes into a route's parameters, read off a class of our own. */
class PrincipalProbe {
  take(@CurrentPrincipal() _principal: unknown): void {}
}
const PRINCIPAL_PARAMETER = Object.keys(Reflect.getMetadata(ROUTE_ARGS_METADATA, PrincipalProbe, 'take') as object)[0].replace(/:0$/, '');

/** Two tags of one length, so that answers normalised of them match byte for byte (Content-Length included). */
const LEAN = 'lean';
const NEST = 'nest';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What differs between two answers for reasons other than the handler: ids, times, and the tag each side's data is named with. */
function normalise(answer: Answer, tag: string): Answer {
  const stable = (text: string) =>
    text
      .replaceAll(tag, '<tag>')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>');
  const { date: _date, ...headers } = answer.headers;
  return { status: answer.status, headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, stable(v)])), body: stable(answer.body) };
}

/**
 * POST /v1/notifications is served without Nest's per-request layers
 * (apps/api/src/notifications/publish-route.ts). Two api apps on one
 * database and Redis prefix, one with that handler and one with Nest's, get
 * the same requests, each side with its own service token and recipients
 * (named by its tag), and must answer the same: status, every header but
 * Date, and body, once ids and times are set aside.
 */
describe('publish route without Nest layers answers as Nest does', () => {
  let sys: TestSystem;
  let nestApp: INestApplication;
  let nestUrl: string;
  /** Postgres for both apps, so that a test can take it away. */
  let postgres: TcpProxy;

  beforeAll(async () => {
    postgres = await new TcpProxy({ host: '127.0.0.1', port: 5432 }).start();
    sys = await startTestSystem({
      gateways: 0,
      env: { HERALD_PUBLISH_RATE_PER_SECOND: '40' },
      wrapDatabaseUrl: (url) => Object.assign(new URL(url), { port: String(postgres.port) }).toString(),
    });
    nestApp = await createApiApp(loadConfig({ defaultPort: 0, env: sys.env }), { nestPublishHandler: true });
    await nestApp.listen(0, '127.0.0.1');
    nestUrl = `http://127.0.0.1:${(nestApp.getHttpServer().address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    await nestApp?.close();
    await sys?.close();
    await postgres?.close();
  });

  const sides = () => [
    { tag: LEAN, url: sys.apis[0].url },
    { tag: NEST, url: nestUrl },
  ];

  async function send(url: string, init: { path?: string; headers?: Record<string, string>; body?: string; method?: string }): Promise<Answer> {
    const res = await fetch(url + (init.path ?? '/v1/notifications'), { method: init.method ?? 'POST', headers: init.headers, body: init.body });
    return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
  }

  /** Builds one request per side from its tag, sends the lean side's then Nest's, and holds them equal. */
  async function expectSameAnswer(build: (tag: string) => Parameters<typeof send>[1]): Promise<Answer> {
    const answers: Answer[] = [];
    for (const side of sides()) answers.push(normalise(await send(side.url, build(side.tag)), side.tag));
    expect(answers[0]).toEqual(answers[1]);
    return answers[0];
  }

  const service = (tag: string, extra: { scope?: string; expiresIn?: number } = {}) => signToken(sys.secret, { sub: `svc-${tag}`, scope: Scope.Publish, ...extra });
  const json = (tag: string, body: unknown, headers: Record<string, string> = {}, token = service(tag)) => ({
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const note = (tag: string, fields: Record<string, unknown> = {}) => ({ recipients: [`${tag}-u1`], type: 'test', title: 'Hello', ...fields });

  it('has no enhancer or parameter on the route, or enhancer on the app, beyond those the lean handler runs', () => {
    const method = NotificationsController.prototype.publish;
    const on = (key: string) => [Reflect.getMetadata(key, NotificationsController), Reflect.getMetadata(key, method)];
    expect(on(GUARDS_METADATA)).toEqual([undefined, [PublishRateLimitGuard]]);
    for (const key of [INTERCEPTORS_METADATA, PIPES_METADATA, EXCEPTION_FILTERS_METADATA, HEADERS_METADATA]) expect(on(key)).toEqual([undefined, undefined]);
    expect(Reflect.getMetadata(HTTP_CODE_METADATA, method)).toBe(201);
    // The parameters the lean handler passes, read as it reads them, with no pipe of their own.
    const args = Object.entries(Reflect.getMetadata(ROUTE_ARGS_METADATA, NotificationsController, 'publish') as Record<string, { index: number; data?: unknown; pipes: unknown[] }>)
      .map(([key, arg]) => ({ kind: key.slice(0, key.lastIndexOf(':')), index: arg.index, data: arg.data, pipes: arg.pipes.length }))
      .sort((a, b) => a.index - b.index);
    expect(args).toEqual([
      { kind: PRINCIPAL_PARAMETER, index: 0, data: undefined, pipes: 0 },
      { kind: String(RouteParamtypes.BODY), index: 1, data: undefined, pipes: 0 },
      { kind: String(RouteParamtypes.HEADERS), index: 2, data: 'idempotency-key', pipes: 0 },
      { kind: String(RouteParamtypes.RESPONSE), index: 3, data: undefined, pipes: 0 },
    ]);
    expectOnlyEnhancersTheLeanPublishRuns(sys.apis[0].app);
  });

  it('never runs Nest guards for the route on the lean side, and does on the Nest side', async () => {
    const activations = jest.spyOn(GuardsConsumer.prototype, 'tryActivate');
    try {
      expect((await send(sys.apis[0].url, json(LEAN, note(LEAN)))).status).toBe(201);
      expect(activations).not.toHaveBeenCalled();
      expect((await send(nestUrl, json(NEST, note(NEST)))).status).toBe(201);
      expect(activations).toHaveBeenCalled();
    } finally {
      activations.mockRestore();
    }
  });

  it.each([
    ['a single recipient', (t: string) => json(t, note(t))],
    ['several recipients, a repeat among them, and every optional field the fast lane takes', (t: string) =>
      json(t, note(t, { recipients: [`${t}-u2`, `${t}-u3`, `${t}-u2`], body: 'b', severity: 'warning', data: { n: 1 }, category: 'c', tags: ['a'], actor: 'x', groupKey: 'g' }))],
    ['fields the full pipe takes (link, actions, expiresAt)', (t: string) =>
      json(t, note(t, { link: 'https://example.com/x', expiresAt: '2099-01-01T00:00:00Z', actions: [{ id: 'ok', label: 'OK', url: 'https://example.com/ok' }] }))],
    ['a path in other letter case with a trailing slash', (t: string) => ({ ...json(t, note(t)), path: '/V1/Notifications/' })],
    ['sendAt: a send for the worker (202)', (t: string) => json(t, note(t, { sendAt: '2099-01-01T00:00:00Z' }))],
    ['an audience that does not exist', (t: string) => json(t, { audience: `${t}-nobody`, type: 'test', title: 'x' })],
    ['no token', (t: string) => ({ ...json(t, note(t)), headers: { 'content-type': 'application/json' } })],
    ['a forged token', (t: string) => json(t, note(t), {}, service(t).slice(0, -4) + 'AAAA')],
    ['an expired token', (t: string) => json(t, note(t), {}, service(t, { expiresIn: -60 }))],
    ['a token without the publish scope', (t: string) => json(t, note(t), {}, service(t, { scope: 'other' }))],
    ["a user's token", (t: string) => json(t, note(t), {}, signToken(sys.secret, { sub: `${t}-user` }))],
    ['a missing title', (t: string) => json(t, { recipients: [`${t}-u1`], type: 'test' })],
    ['an unknown field', (t: string) => json(t, note(t, { colour: 'red' }))],
    ['a key named like an Object.prototype member', (t: string) => json(t, note(t, { toString: 1 }))],
    ['a reserved key', (t: string) => json(t, `{"recipients":["${t}-u1"],"type":"test","title":"x","data":{"__proto__":{"a":1}}}`)],
    ['a NUL in a string', (t: string) => json(t, note(t, { title: 'a\u0000b' }))],
    ['too many recipients', (t: string) => json(t, note(t, { recipients: Array.from({ length: 1001 }, (_, i) => `${t}-${i}`) }))],
    ['malformed JSON (refused by the body parser, before any handler)', (t: string) => json(t, '{"recipients": [')],
    ['a JSON array', (t: string) => json(t, '[]')],
    ['JSON null (refused by the body parser, before any handler)', (t: string) => json(t, 'null')],
    ['a body that is not JSON', (t: string) => ({ ...json(t, 'recipients=a'), headers: { authorization: `Bearer ${service(t)}`, 'content-type': 'text/plain' } })],
    ['a body past the limit (refused by Fastify, before any handler)', (t: string) => json(t, note(t, { body: 'x'.repeat(2_000_000) }))],
    ['an Idempotency-Key past 255 characters', (t: string) => json(t, note(t), { 'idempotency-key': 'k'.repeat(256) })],
    ['an empty Idempotency-Key', (t: string) => json(t, note(t), { 'idempotency-key': '' })],
  ])('%s', async (_name, build) => {
    await expectSameAnswer(build);
  });

  it('answers an idempotent retry, and a key reused for another body, the same', async () => {
    const first = await expectSameAnswer((t) => json(t, note(t, { title: 'once' }), { 'idempotency-key': 'order-1' }));
    expect(first.status).toBe(201);
    const replay = await expectSameAnswer((t) => json(t, note(t, { title: 'once' }), { 'idempotency-key': 'order-1' }));
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect((await expectSameAnswer((t) => json(t, note(t, { title: 'other' }), { 'idempotency-key': 'order-1' }))).status).toBe(409);
  });

  it('answers past the publish budget the same (429, Retry-After)', async () => {
    const answers: Answer[] = [];
    for (const side of sides()) {
      const burst = await Promise.all(Array.from({ length: 60 }, () => send(side.url, json(`${side.tag}-burst`, note(side.tag)))));
      const limited = burst.find((a) => a.status === 429);
      expect(limited).toBeDefined();
      answers.push(normalise(limited!, side.tag));
    }
    expect(answers[0]).toEqual(answers[1]);
  });

  it('answers the same with Postgres gone (503, Retry-After)', async () => {
    postgres.cut();
    try {
      expect((await expectSameAnswer((t) => json(t, note(t, { title: 'during outage' })))).status).toBe(503);
    } finally {
      postgres.restore();
    }
  });
});
