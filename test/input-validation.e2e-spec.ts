import { http } from './support/http-client.js';
import { startTestSystem, type TestSystem } from './support/test-system.js';

/** `{"a":{"a":…{}…}}`, `levels` objects deep. */
const nested = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;

/**
 * Input that used to end in a 500 with an error-level stack (or be changed
 * or dropped without a word) is refused with 400 `validation_failed`, naming
 * the field, through the real HTTP path.
 */
describe('input the api cannot store or validate safely: 400 naming the field', () => {
  let sys: TestSystem;

  beforeAll(async () => {
    sys = await startTestSystem({ gateways: 0 });
  });
  afterAll(async () => {
    await sys.close();
  });

  /** POST /v1/notifications with `fields` spliced into a valid body as raw JSON text (so lone surrogates survive). */
  const publishRaw = (fields: string) =>
    http(sys.apis[0].url, 'POST', '/v1/notifications', { token: sys.serviceToken(), rawBody: `{"recipients":["val-user"],"type":"t","title":"ok",${fields}}` });
  const refusal = (field: string, message: RegExp) =>
    expect.objectContaining({ status: 400, body: expect.objectContaining({ code: 'validation_failed', details: [{ field, message: expect.stringMatching(message) }] }) });

  it.each([
    ['the body', '"body":"a\\u0000b"', 'body'],
    ['a recipient', '"severity":"info","link":null,"recipients":["x\\u0000y"]', 'recipients.0'],
    ['a value deep in data', '"data":{"a":{"b":["ok","x\\u0000"]}}', 'data.a.b.1'],
    ['a key in data', '"data":{"k\\u0000":1}', 'data'],
  ])('refuses NUL in %s', async (_what, fields, field) => {
    expect(await publishRaw(fields)).toEqual(refusal(field, /NUL or unpaired surrogate/));
  });

  it.each([
    ['a high surrogate alone', '"body":"x\\ud800y"', 'body'],
    ['a low surrogate alone', '"data":{"note":"\\udc00"}', 'data.note'],
  ])('refuses %s', async (_what, fields, field) => {
    expect(await publishRaw(fields)).toEqual(refusal(field, /NUL or unpaired surrogate/));
  });

  it('keeps a well-formed pair (an emoji) as it was sent', async () => {
    const res = await publishRaw('"body":"\\ud83d\\ude00","data":{"e":"\\ud83d\\ude00"}');
    const inbox = await http(sys.apis[0].url, 'GET', '/v1/notifications?limit=1', { token: sys.userToken('val-user') });

    expect(res.status).toBe(201);
    expect(inbox.body.items[0]).toMatchObject({ body: '😀', data: { e: '😀' } });
  });

  it('refuses NUL in a query parameter', async () => {
    const res = await http(sys.apis[0].url, 'GET', '/v1/notifications?type=a%00b', { token: sys.userToken('val-user') });

    expect(res).toEqual(refusal('type', /NUL or unpaired surrogate/));
  });

  it.each([
    ['after', '9223372036854775808'],
    ['before', '9223372036854775808'],
    ['after', '99999999999999999999999'],
    ['before', '9007199254740993'],
  ])('refuses %s=%s, a seq no cursor can hold', async (name, value) => {
    const res = await http(sys.apis[0].url, 'GET', `/v1/notifications?${name}=${value}`, { token: sys.userToken('val-user') });

    expect(res).toEqual(expect.objectContaining({ status: 400, body: expect.objectContaining({ code: 'validation_failed', message: `invalid fields: ${name}` }) }));
  });

  it('refuses data nested 5,000 deep, and anything past 32 levels, but takes 32', async () => {
    const deep = await publishRaw(`"data":${nested(5000)}`);
    const over = await publishRaw(`"data":${nested(33)}`);
    const limit = await publishRaw(`"data":${nested(32)}`);

    expect(deep).toEqual(refusal('data', /nested more than 32 levels/));
    expect(over).toEqual(refusal('data', /nested more than 32 levels/));
    expect(limit.status).toBe(201);
  });

  it.each([
    ['"data":{"__proto__":{"polluted":true}}', 'data.__proto__'],
    ['"data":{"a":{"constructor":{"prototype":{}}}}', 'data.a.constructor'],
    ['"data":{"prototype":1}', 'data.prototype'],
  ])('refuses the reserved key in %s instead of dropping it', async (fields, field) => {
    expect(await publishRaw(fields)).toEqual(refusal(field, /reserved key/));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('holds broadcasts to the same rules', async () => {
    const res = await http(sys.apis[0].url, 'POST', '/v1/broadcasts', { token: sys.adminToken(), rawBody: '{"type":"t","title":"x\\u0000"}' });

    expect(res).toEqual(refusal('title', /NUL or unpaired surrogate/));
  });
});
