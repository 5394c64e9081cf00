import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { length } from 'class-validator';
import fc from 'fast-check';
import { MAX_TAGS, SEVERITIES } from '@herald/contracts';
import { validationPipeOptions } from '../errors/validation-pipe.js';
import { publishNotificationFastLane as lane } from './publish-notification.fast-lane.js';
import { PublishNotificationDto } from './publish-notification.dto.js';
import { MAX_DATA_BYTES } from './publish-notification.limits.js';

/** Nest's pipe as it comes, with the api's options: the judge of every body the lane takes. */
const stock = new ValidationPipe(validationPipeOptions);
const metadata = { type: 'body', metatype: PublishNotificationDto } as const;

// JSON round trip: what the body parser hands the pipe (no undefined, no -0, plain objects only); each
// call gives a fresh copy, since the pipes may change what they are given.

const asParsed = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

async function full(body: unknown): Promise<{ value: unknown } | { rejected: true }> {
  try {
    return { value: await stock.transform(asParsed(body), metadata) };
  } catch {
    return { rejected: true };
  }
}

/** Text of the code units validator.js counts unevenly: pairs, lone and doubled variation selectors. */
function unevenText(maxLength: number) {
  return fc.array(fc.constantFrom('\uD83D\uDE00', '\uFE0F', '\uFE0E', 'a', '\uD83D\uDE00\uFE0F'), { maxLength }).map((parts) => parts.join(''));
}

// Text near every edge the rules have: empty, at and past the bounds, and the
// characters validator.js counts differently (pairs, variation selectors).
const edgy = fc.oneof(
  fc.constantFrom('', 'a', 'bench', 'x'.repeat(63), 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(128), 'x'.repeat(129), 'x'.repeat(200), 'x'.repeat(201)),
  fc.constantFrom('\uFE0F', 'a\uFE0F', '\uD83D\uDE00', 'x'.repeat(200) + '\uD83D\uDE00', 'Ana', 'comment:post-42', 'A/b', 'a:b', 'a b', 'UPPER', '-x', 'a.b_c-d'),
  fc.string({ maxLength: 10 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  unevenText(8),
);
const anyValue = fc.oneof(edgy, fc.constant(null), fc.integer(), fc.boolean(), fc.array(edgy, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), edgy, { maxKeys: 3 }));
const recipientList = fc.oneof(
  fc.array(edgy, { minLength: 0, maxLength: 4 }),
  fc.constant(Array.from({ length: 1000 }, (_, i) => `u${i}`)),
  fc.constant(Array.from({ length: 1001 }, (_, i) => `u${i}`)),
);
const dataValue = fc.oneof(
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
  fc.constant({ k: 'x'.repeat(MAX_DATA_BYTES - 8) }),
  fc.constant({ k: 'x'.repeat(MAX_DATA_BYTES - 7) }),
  fc.constant({ k: '\u00e9'.repeat(MAX_DATA_BYTES / 2) }),
  anyValue,
);
const tagList = fc.oneof(
  fc.array(fc.constantFrom('a', 'b', 'a:b', 'A', '', 'x'.repeat(64), 'x'.repeat(65)), { maxLength: MAX_TAGS + 1 }),
  fc.uniqueArray(fc.stringMatching(/^[a-z0-9][a-z0-9_.:-]{0,8}$/), { maxLength: MAX_TAGS + 1 }),
  fc.constant(Array.from({ length: MAX_TAGS }, (_, i) => `t${i}`)),
  fc.constant(Array.from({ length: MAX_TAGS + 1 }, (_, i) => `t${i}`)),
  anyValue,
);

/** Bodies of the everyday shape, valid by construction: the lane should take nearly all of them. */
const everyday = fc.record(
  {
    recipients: fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { minLength: 1, maxLength: 5 }),
    type: fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,10}$/),
    title: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 50 }),
    body: fc.string({ maxLength: 200 }),
    severity: fc.constantFrom(...SEVERITIES),
    data: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    groupKey: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,20}$/),
  },
  { requiredKeys: ['recipients', 'type', 'title'] },
);

/** A body: each field absent, plausible or wrong; now and then a field the lane leaves to the full pipe. */
const body = fc.record(
  {
    recipients: fc.oneof(recipientList, anyValue),
    type: fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,5}$/), edgy, anyValue),
    title: fc.oneof(edgy, anyValue),
    body: fc.oneof(edgy, fc.constant('x'.repeat(4000)), fc.constant('x'.repeat(4001)), fc.constant('\uD83D\uDE00'.repeat(2000) + 'x'), anyValue),
    severity: fc.oneof(fc.constantFrom(...SEVERITIES, 'loud', 'INFO'), anyValue),
    data: dataValue,
    category: fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,5}$/), edgy, anyValue),
    tags: tagList,
    actor: fc.oneof(edgy, anyValue),
    groupKey: fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,8}$/), edgy, anyValue),
    audience: fc.constantFrom('team-a', ''),
    link: fc.constantFrom('https://example.com/x', 'ftp://x'),
    extra: anyValue,
  },
  { requiredKeys: [] },
);
/** An everyday body with one or two of its fields replaced from `body`: most near an edge, some past it. */
const nearEveryday = fc
  .tuple(everyday, body, fc.subarray(['recipients', 'type', 'title', 'body', 'severity', 'data', 'category', 'tags', 'actor', 'groupKey'], { maxLength: 2 }))
  .map(([plain, odd, fields]) => ({ ...plain, ...Object.fromEntries(fields.filter((f) => f in odd).map((f) => [f, odd[f as keyof typeof odd]])) }));

const unsafeKey = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && Object.entries(value).some(([k, v]) => ['__proto__', 'constructor', 'prototype'].includes(k) || unsafeKey(v));

describe('publishNotificationFastLane', () => {
  it('takes only bodies the full pipe accepts, and builds exactly its DTO', async () => {
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(body, nearEveryday), async (raw) => {
        const input = asParsed(raw);
        fc.pre(!unsafeKey(input)); // the pipe refuses those before any lane (input-safety.ts)
        const dto = lane.accept(asParsed(input));
        if (dto === undefined) return;
        taken++;
        // toStrictEqual: the same class, the same keys (undefined ones too), the same values.
        expect(await full(input)).toStrictEqual({ value: dto });

      }),
      { numRuns: 3000 },
    );
    expect(taken).toBeGreaterThan(300); // the property was tested on bodies the lane took, not only on refusals
  });

  it('takes the everyday shape: a lane that refused everything would be no lane', async () => {
    let taken = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(everyday, async (raw) => {
        const input = asParsed(raw);
        // fc.jsonValue now and then makes a "__proto__" key in data, which the pipe refuses before any lane.
        fc.pre(!unsafeKey(input));
        runs++;
        const dto = lane.accept(asParsed(input));
        if (dto) {
          taken++;
          expect(await full(input)).toStrictEqual({ value: dto });
        }
      }),
      { numRuns: 500 },
    );
    expect(taken / runs).toBeGreaterThan(0.9);
  });

  it('relies on what it says of validator.js: any non-empty text counts at least 1, and never more than its length', () => {
    fc.assert(
      fc.property(fc.oneof(unevenText(40), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 })), (text) => {
        expect(length(text, text.length === 0 ? 0 : 1, text.length)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves errors, fields with their own rules and odd text to the full pipe', () => {
    const base = { recipients: ['u1'], type: 'bench', title: 'bench' };
    expect(lane.accept(base)).toBeInstanceOf(PublishNotificationDto);
    expect(lane.accept({ ...base, title: '\uD83D\uDE00\uFE0F', actor: '\uFE0F' })).toBeInstanceOf(PublishNotificationDto); // counted 1 and 1 by validator.js
    for (const refused of [
      { ...base, extra: 1 },
      { ...base, title: '' },
      { ...base, body: null },
      { ...base, link: 'https://example.com' },
      { ...base, audience: 'team-a' },
      { ...base, tags: ['a', 'a'] },
      { ...base, data: [] },
      { type: 'bench', title: 'bench' },
      Object.assign(Object.create(null), base),
      [base],
    ]) expect(lane.accept(refused)).toBeUndefined();
  });
});
