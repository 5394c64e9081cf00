import type { Server } from 'node:http';
import { request as httpRequest } from 'node:http';
import zlib from 'node:zlib';
import { HTTP_REQUEST_TIMEOUT_MS } from '@herald/config';
import { startTestSystem, type TestSystem } from './support/test-system.js';

interface Answer {
  status: number;
  body: Record<string, unknown> | undefined;
}

/**
 * How the api reads a request on Fastify: as express's JSON body-parser did
 * before it (compressed bodies, strict JSON, an empty body, a content type it
 * does not read), routes as express matched them, and what the router or the
 * body reader refuses answered in the one error shape with a stable code.
 */
describe('HTTP requests on Fastify, read as before', () => {
  let sys: TestSystem;
  const body = JSON.stringify({ recipients: ['http-user'], type: 't', title: 'x' });

  beforeAll(async () => {
    sys = await startTestSystem({ gateways: 1, apis: 1 });
  });
  afterAll(async () => {
    await sys.close();
  });

  /** A raw request: node:http, so headers and bytes go exactly as given. */
  const send = (method: string, path: string, headers: Record<string, string>, payload?: Buffer | string) =>
    new Promise<Answer>((resolve, reject) => {
      const url = new URL(sys.apis[0].url);
      const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode as number, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined }));
      });
      req.on('error', reject);
      req.end(payload);
    });
  const publish = (headers: Record<string, string>, payload?: Buffer | string, path = '/v1/notifications') =>
    send('POST', path, { authorization: `Bearer ${sys.serviceToken()}`, ...headers }, payload);
  const json = { 'content-type': 'application/json' };
  const notJson = { status: 400, body: expect.objectContaining({ code: 'validation_failed', message: 'request body is not valid JSON' }) };

  it('takes gzip, deflate and br bodies, and counts the limit on the decoded bytes', async () => {
    for (const [encoding, encode] of [['gzip', zlib.gzipSync], ['deflate', zlib.deflateSync], ['br', zlib.brotliCompressSync]] as const) {
      expect(await publish({ ...json, 'content-encoding': encoding }, encode(body))).toMatchObject({ status: 201 });
    }
    const large = JSON.stringify({ recipients: ['http-user'], type: 't', title: 'x', data: { p: 'x'.repeat(sys.apis[0].config.http.bodyLimit) } });
    const bomb = zlib.gzipSync(large);

    expect(bomb.length).toBeLessThan(sys.apis[0].config.http.bodyLimit / 10);
    expect(await publish({ ...json, 'content-encoding': 'gzip' }, bomb)).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
    expect(await publish({ ...json, 'content-encoding': 'gzip' }, 'not gzip')).toMatchObject(notJson);
    expect(await publish({ ...json, 'content-encoding': 'zstd' }, body)).toMatchObject(notJson);
  });

  it('reads strict JSON in UTF-8 only, and an empty body as {}', async () => {
    expect(await publish(json, '"text"')).toMatchObject(notJson);
    expect(await publish(json, '{"recipients":')).toMatchObject(notJson);
    expect(await publish({ 'content-type': 'application/json; charset=latin1' }, body)).toMatchObject(notJson);
    expect(await publish({ 'content-type': 'application/json; charset=UTF-8' }, body)).toMatchObject({ status: 201 });
    const empty = await publish(json, '');
    expect(empty).toMatchObject({ status: 400, body: { code: 'validation_failed', message: 'invalid fields: recipients, type, title' } });
  });

  it('leaves any other content type unread, for validation to answer', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/vnd.api+json']) {
      expect(await publish({ 'content-type': type }, body)).toMatchObject({ status: 400, body: { code: 'validation_failed', message: 'invalid fields: recipients, type, title' } });
    }
  });

  it('routes with a trailing slash and in any case, as express did', async () => {
    expect(await publish(json, body, '/v1/notifications/')).toMatchObject({ status: 201 });
    expect(await publish(json, body, '/V1/Notifications')).toMatchObject({ status: 201 });
  });

  it('answers what the router refuses in the error shape, without quoting the URL back', async () => {
    const badUrl = await send('GET', '/v1/notifications/%zz', { authorization: `Bearer ${sys.userToken('http-user')}` });

    expect(badUrl).toEqual({ status: 400, body: { statusCode: 400, error: 'Bad Request', code: 'validation_failed', message: 'malformed request' } });
    expect(await send('GET', '/v1/nowhere', {})).toMatchObject({ status: 404, body: { code: 'not_found', message: 'route not found' } });
  });

  it("keeps Node's bound on receiving a request, and outlives a proxy's idle keep-alive", () => {
    for (const app of [sys.apis[0].app, sys.gateways[0].app]) {
      expect((app.getHttpServer() as Server).requestTimeout).toBe(HTTP_REQUEST_TIMEOUT_MS);
    }
    expect((sys.apis[0].app.getHttpServer() as Server).keepAliveTimeout).toBe(65_000);
  });
});
