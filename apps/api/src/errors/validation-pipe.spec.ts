import 'reflect-metadata';
import { jest } from '@jest/globals';
import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { ValidationError } from '@herald/errors';
import { ListNotificationsQuery } from '../inbox/list-notifications.query.js';
import { publishNotificationFastLane } from '../notifications/publish-notification.fast-lane.js';
import { PublishNotificationDto } from '../notifications/publish-notification.dto.js';
import { PushSubscriptionDto } from '../push/push-subscription.dto.js';
import { PublishTopicEventsDto } from '../topics/topic-event.dto.js';
import { findUnsafeInput } from './input-safety.js';
import { createValidationPipe, validationPipeOptions } from './validation-pipe.js';

const body = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype });
const publish = body(PublishNotificationDto);
const later = '2999-01-01T00:00:00Z';
const action = (id: string) => ({ id, label: `Open ${id}`, url: 'https://example.com/a', style: 'primary' });
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

/** Inputs, each made afresh per run (the pipe may change what it is given). */
const cases: [name: string, input: () => unknown, metadata: ArgumentMetadata][] = [
  ['bench body', () => ({ recipients: ['u1'], type: 'bench', title: 'bench', data: { k: 'x'.repeat(100) } }), publish],
  ['data keys named like Object methods', () => ({ recipients: ['u1'], type: 't', title: 't', data: { valueOf: 1, n: { toString: 'x', hasOwnProperty: [2] } } }), publish],
  ['the same, on the full pipe (a link)', () => ({ recipients: ['u1'], type: 't', title: 't', link: 'https://example.com/', data: { valueOf: 1 } }), publish],
  ['every field', () => ({
    recipients: ['u1', 'u2'], sendAt: later, type: 'quiz_result', title: 't', body: 'b', severity: 'warning', data: { a: [1, { b: null }] },
    link: 'https://example.com/x', expiresAt: later, category: 'news', tags: ['a', 'b:c'], actions: [action('one'), { id: 'two', label: 'Two' }],
    avatar: 'http://host/a.png', actor: 'Ana', groupKey: 'comment:post-42',
  }), publish],
  ['audience instead of recipients', () => ({ audience: 'team-a', type: 't', title: 't' }), publish],
  ['recipients and audience both', () => ({ recipients: ['u1'], audience: 'team-a', type: 't', title: 't' }), publish],
  ['empty body', () => ({}), publish],
  ['no body', () => undefined, publish],
  ['null body', () => null, publish],
  ['array body', () => [{ recipients: ['u1'], type: 't', title: 't' }], publish],
  ['string body', () => 'recipients', publish],
  ['unknown fields', () => ({ recipients: ['u1'], type: 't', title: 't', extra: 1, more: { x: 1 } }), publish],
  ['unknown field in a nested action', () => ({ recipients: ['u1'], type: 't', title: 't', actions: [{ id: 'a', label: 'A', evil: true }] }), publish],
  ['wrong types', () => ({ recipients: 'u1', type: 5, title: ['t'], data: 'x', tags: [1], severity: 'loud', sendAt: 7 }), publish],
  ['bad nested actions', () => ({ recipients: ['u1'], type: 't', title: 't', actions: [1, {}, action('link'), action('ok'), action('ok')] }), publish],
  ['actions not an array', () => ({ recipients: ['u1'], type: 't', title: 't', actions: { id: 'a', label: 'A' } }), publish],
  ['too many recipients', () => ({ recipients: Array.from({ length: 1001 }, (_, i) => `u${i}`), type: 't', title: 't' }), publish],
  ['empty and long recipient ids', () => ({ recipients: ['', 'x'.repeat(129)], type: 't', title: 't' }), publish],
  ['data over 8 KiB', () => ({ recipients: ['u1'], type: 't', title: 't', data: { k: 'x'.repeat(9000) } }), publish],
  ['past and malformed times', () => ({ recipients: ['u1'], type: 't', title: 't', sendAt: '2000-01-01T00:00:00Z', expiresAt: 'tomorrow' }), publish],
  ['bad urls', () => ({ recipients: ['u1'], type: 't', title: 't', link: 'ftp://x', avatar: 'not a url' }), publish],
  ['sparse recipients', () => ({ recipients: [, 'u1'], type: 't', title: 't' }), publish], // eslint-disable-line no-sparse-arrays -- what closeArrayGaps is for
  ['NUL in a title', () => ({ recipients: ['u1'], type: 't', title: 'a\u0000b' }), publish],
  ['lone surrogate in a data key', () => ({ recipients: ['u1'], type: 't', title: 't', data: { ['k\ud800']: 1 } }), publish],
  ['__proto__ key', () => JSON.parse('{"recipients":["u1"],"type":"t","title":"t","data":{"__proto__":{"x":1}}}'), publish],
  ['constructor key at the top', () => JSON.parse('{"recipients":["u1"],"type":"t","title":"t","constructor":{"name":"x"}}'), publish],
  ['prototype key in an action', () => JSON.parse('{"recipients":["u1"],"type":"t","title":"t","actions":[{"id":"a","label":"A","prototype":1}]}'), publish],
  ['data nested too deep', () => ({ recipients: ['u1'], type: 't', title: 't', data: nested(40) }), publish],
  ['topic events (inherited rules)', () => ({ events: [{ topic: 'jobs:1', type: 't', data: { a: 1 } }, { topic: 'jobs:2', type: 't' }] }), body(PublishTopicEventsDto)],
  ['bad topic events', () => ({ events: [{ topic: '', type: 'T', title: 'not picked' }, 'x'] }), body(PublishTopicEventsDto)],
  ['inbox query', () => ({ limit: '20', unread: 'true', state: 'inbox', tags: 'a,b' }), { type: 'query', metatype: ListNotificationsQuery }],
  ['bad inbox query', () => ({ limit: 'many', unread: 'maybe', state: 'x', other: 'y' }), { type: 'query', metatype: ListNotificationsQuery }],
  ['route parameter', () => 'abc', { type: 'param', metatype: String, data: 'id' }],
  ['unsafe route parameter', () => 'a\u0000', { type: 'param', metatype: String, data: 'id' }],
  ['custom decorator value', () => ({ __proto__: null, constructor: 1 }), { type: 'custom', metatype: Object }],
];

type Transform = (value: unknown, metadata: ArgumentMetadata) => Promise<unknown>;

/** What the pipe gives the handler, or the error it throws, in comparable form. */
async function outcome(transform: Transform, input: () => unknown, metadata: ArgumentMetadata) {
  try {
    return { value: await transform(input(), metadata) };
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return { error: { name: e.name, code: e.code, message: e.message, details: e.details } };
  }
}

const outcomes = (transform: Transform) => Promise.all(cases.map(([, input, metadata]) => outcome(transform, input, metadata)));

/** The api's pipe as it was before the metadata cache: the input walk, then Nest's pipe as it comes. */
const stock = new ValidationPipe(validationPipeOptions);
const reference: Transform = async (value, metadata) => {
  const problem = ['body', 'query', 'param'].includes(metadata.type) ? findUnsafeInput(value, metadata.data) : undefined;
  if (problem) throw new ValidationError(`invalid fields: ${problem.field}`, [problem]);
  return stock.transform(value, metadata);
};

describe('createValidationPipe', () => {
  it('hands a body its fast lane takes straight over, and the rest to the full pipe', async () => {
    const accept = jest.spyOn(publishNotificationFastLane, 'accept');
    const lanePipe = createValidationPipe([publishNotificationFastLane]);
    const taken = await lanePipe.transform({ recipients: ['u1'], type: 't', title: 't' }, publish);
    expect(accept).toHaveReturnedWith(taken);
    await expect(lanePipe.transform({ recipients: ['u1'], type: 't', title: '' }, publish)).rejects.toMatchObject({ message: 'invalid fields: title' });
    expect(accept).toHaveLastReturnedWith(undefined);
    accept.mockRestore();
  });

  let expected: Awaited<ReturnType<typeof outcomes>>;
  let pipe: ValidationPipe;

  beforeAll(async () => {
    // Before the cache is installed: class-validator's storage as it comes.
    expected = await outcomes(reference);
    pipe = createValidationPipe([publishNotificationFastLane]);
  });

  it('accepts, transforms and rejects exactly as the stock pipe did, cold and with the cache warm', async () => {
    const transform: Transform = (value, metadata) => pipe.transform(value, metadata);
    const cold = await outcomes(transform);
    const warm = await outcomes(transform);
    cases.forEach(([name], i) => {
      // toStrictEqual: same classes (DTO instances, nested ones too), same keys, same error order.
      expect({ name, ...cold[i] }).toStrictEqual({ name, ...expected[i] });
      expect({ name, ...warm[i] }).toStrictEqual({ name, ...expected[i] });
    });
    // The same answers for the stock pipe once the cache is in (it shares class-validator's storage).
    expect(await outcomes(reference)).toStrictEqual(expected);
  });

  it('covers both sides: handed-over DTOs and named bad fields, nested ones included', () => {
    const at = (name: string) => expected[cases.findIndex(([n]) => n === name)];
    expect(at('every field').value).toBeInstanceOf(PublishNotificationDto);
    expect((at('every field').value as PublishNotificationDto).actions?.[0]?.constructor.name).toBe('NotificationActionDto');
    expect(at('inbox query').value).toMatchObject({ limit: 20, unread: true });
    expect(at('unknown field in a nested action').error?.message).toBe('invalid fields: actions.0.evil');
    expect(at('unknown fields').error?.details).toEqual([
      { field: 'extra', message: 'property extra should not exist' },
      { field: 'more', message: 'property more should not exist' },
    ]);
    expect(at('__proto__ key').error?.message).toBe('invalid fields: data.__proto__');
    // class-transformer alone would drop these keys in silence (keep-as-sent.ts).
    expect((at('data keys named like Object methods').value as PublishNotificationDto).data).toEqual({ valueOf: 1, n: { toString: 'x', hasOwnProperty: [2] } });
    expect((at('the same, on the full pipe (a link)').value as PublishNotificationDto).data).toEqual({ valueOf: 1 });
    expect(expected.filter((o) => 'value' in o).length).toBeGreaterThanOrEqual(6);
    expect(expected.filter((o) => 'error' in o).length).toBeGreaterThanOrEqual(20);
  });

  // Where it differs from the stock pipe on purpose: keys class-transformer skips (skipped-key.ts).
  it.each([
    ['at the top of a body', () => ({ recipients: ['u1'], type: 't', title: 't', toString: 1 }), publish, 'toString'],
    ['in a nested action', () => ({ recipients: ['u1'], type: 't', title: 't', actions: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B', valueOf: 'x' }] }), publish, 'actions.1.valueOf'],
    ['in a nested push key object', () => ({ endpoint: 'https://push.example.com/x', keys: { p256dh: 'B'.repeat(87), auth: 'a'.repeat(22), hasOwnProperty: 1 } }), body(PushSubscriptionDto), 'keys.hasOwnProperty'],
    ['in a topic event', () => ({ events: [{ topic: 'jobs:1', type: 't', isPrototypeOf: null }] }), body(PublishTopicEventsDto), 'events.0.isPrototypeOf'],
    ['in a query', () => ({ limit: '20', toLocaleString: 'x' }), { type: 'query', metatype: ListNotificationsQuery } as ArgumentMetadata, 'toLocaleString'],
  ])('refuses a key named like an Object.prototype member %s, which the stock pipe ignores', async (_, input, metadata, field) => {
    await expect(reference(input(), metadata)).resolves.toBeInstanceOf(metadata.metatype as new () => unknown);
    await expect(pipe.transform(input(), metadata)).rejects.toMatchObject({
      code: 'validation_failed',
      message: `invalid fields: ${field}`,
      details: [{ field, message: `property ${field.split('.').pop()} should not exist` }],
    });
  });
});
