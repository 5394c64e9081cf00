import { findUnsafeInput, MAX_DEPTH } from './input-safety.js';

/** `levels` objects nested in one another. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

describe('findUnsafeInput', () => {
  it('passes ordinary input, emoji included', () => {
    expect(findUnsafeInput({ title: 'hi 😀', data: { list: [1, 'two', { three: null }] } })).toBeUndefined();
  });

  it('names the field of NUL or a lone surrogate, in values and in keys', () => {
    expect(findUnsafeInput({ data: { list: ['ok', 'a\u0000'] } })).toEqual({ field: 'data.list.1', message: expect.stringMatching(/NUL/) });
    expect(findUnsafeInput({ title: '\ud83d' })).toEqual({ field: 'title', message: expect.stringMatching(/unpaired surrogate/) });
    expect(findUnsafeInput({ data: { ['x\udc00']: 1 } })).toEqual({ field: 'data', message: expect.stringMatching(/has a key/) });
    expect(findUnsafeInput('a\u0000', 'id')).toEqual({ field: 'id', message: expect.stringMatching(/NUL/) });
  });

  it('refuses reserved keys wherever they are', () => {
    expect(findUnsafeInput(JSON.parse('{"data":{"a":[{"__proto__":1}]}}'))).toEqual({ field: 'data.a.0.__proto__', message: expect.stringMatching(/reserved/) });
    expect(findUnsafeInput(JSON.parse('{"constructor":1}'))).toEqual({ field: 'constructor', message: expect.stringMatching(/reserved/) });
  });

  it(`takes ${MAX_DEPTH} levels and refuses one more, without recursing on deep input`, () => {
    expect(findUnsafeInput({ data: nested(MAX_DEPTH) })).toBeUndefined();
    expect(findUnsafeInput({ data: nested(MAX_DEPTH + 1) })).toEqual({ field: 'data', message: `must not be nested more than ${MAX_DEPTH} levels deep` });
    expect(findUnsafeInput({ data: nested(200_000) })?.field).toBe('data');
  });
});
