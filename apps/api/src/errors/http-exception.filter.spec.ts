import { BadRequestException, NotFoundException, PayloadTooLargeException, type ArgumentsHost, type HttpServer } from '@nestjs/common';
import { AuthError, AuthFailure } from '@herald/auth';
import { NotFoundError, RateLimitedError, ValidationError } from '@herald/errors';
import { BodyParseError } from './body-parse.error.js';
import { HttpExceptionFilter } from './http-exception.filter.js';

function answer(exception: unknown) {
  const res = { headers: {} as Record<string, string>, statusCode: 0, body: undefined as unknown };
  // The adapter's two calls the filter makes, as Nest's HttpServer offers them for express and Fastify alike.
  const adapter = {
    setHeader: (_response: unknown, name: string, value: string) => (res.headers[name] = value),
    reply: (_response: unknown, body: unknown, code: number) => ((res.statusCode = code), (res.body = body)),
  } as unknown as HttpServer;
  const host = { switchToHttp: () => ({ getResponse: () => ({}), getRequest: () => ({}) }) } as unknown as ArgumentsHost;
  new HttpExceptionFilter(adapter).catch(exception, host);
  return res;
}

describe('HttpExceptionFilter', () => {
  it('maps domain errors by code, with details and Retry-After', () => {
    expect(answer(new NotFoundError())).toMatchObject({ statusCode: 404, body: { code: 'not_found', error: 'Not Found' } });
    expect(answer(ValidationError.field('userId', 'must be 1-128 characters'))).toMatchObject({
      statusCode: 400,
      body: { code: 'validation_failed', details: [{ field: 'userId', message: 'must be 1-128 characters' }] },
    });
    expect(answer(new RateLimitedError('slow down', 0.2))).toMatchObject({ statusCode: 429, headers: { 'Retry-After': '1' } });
  });

  it('answers auth failures with their fixed text, never the verification detail', () => {
    const res = answer(new AuthError(AuthFailure.Invalid, 'jwt issuer invalid. expected: https://idp.internal'));

    expect(res).toMatchObject({ statusCode: 401, body: { code: 'unauthorized', message: 'invalid credentials' } });
    expect(JSON.stringify(res.body)).not.toContain('idp.internal');
  });

  it("gives Nest's own exceptions a code by status and a fixed text", () => {
    expect(answer(new NotFoundException())).toMatchObject({ statusCode: 404, body: { code: 'not_found', message: 'route not found' } });
    const parser = new BadRequestException(`Expected property name or '}' in JSON at position 1 (line 1 column 2)`);
    expect(answer(parser)).toMatchObject({ statusCode: 400, body: { code: 'validation_failed', message: 'request body is not valid JSON' } });
    expect(answer(new PayloadTooLargeException('request entity too large'))).toMatchObject({ statusCode: 413, body: { message: 'request body is too large' } });
  });

  it("answers what Fastify refuses before a route runs with our codes and fixed texts", () => {
    const fastify = (code: string, statusCode: number, message: string) => Object.assign(new Error(message), { code, statusCode });

    expect(answer(new BodyParseError('not_json'))).toMatchObject({ statusCode: 400, body: { code: 'validation_failed', message: 'request body is not valid JSON' } });
    expect(answer(fastify('FST_ERR_CTP_BODY_TOO_LARGE', 413, 'Request body is too large'))).toMatchObject({ statusCode: 413, body: { code: 'payload_too_large' } });
    expect(answer(fastify('FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 'x'))).toMatchObject({ statusCode: 400, body: { message: 'request body is not valid JSON' } });
    const badUrl = answer(fastify('FST_ERR_BAD_URL', 400, "'/v1/%zz' is not a valid url component"));
    expect(badUrl).toMatchObject({ statusCode: 400, body: { code: 'validation_failed', message: 'malformed request' } });
    expect(JSON.stringify(badUrl.body)).not.toContain('%zz');
  });
});
