import { BadRequestException, NotFoundException, PayloadTooLargeException, type ArgumentsHost } from '@nestjs/common';
import { AuthError, AuthFailure } from '@herald/auth';
import { NotFoundError, RateLimitedError, ValidationError } from '@herald/errors';
import { HttpExceptionFilter } from './http-exception.filter.js';

function answer(exception: unknown) {
  const res = { headers: {} as Record<string, string>, statusCode: 0, body: undefined as unknown };
  const response = {
    setHeader: (name: string, value: string) => (res.headers[name] = value),
    status: (code: number) => ((res.statusCode = code), response),
    json: (body: unknown) => (res.body = body),
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new HttpExceptionFilter().catch(exception, host);
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
});
