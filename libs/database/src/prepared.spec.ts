import { prepared, preparedName, queryConfig } from './prepared.js';

describe('prepared statements', () => {
  it('names a marked statement after its text, and leaves others unnamed', () => {
    const a = prepared('SELECT $1::int AS spec_a');
    const b = prepared('SELECT $1::int AS spec_b');

    expect(a).toBe('SELECT $1::int AS spec_a');
    expect(queryConfig(a, [1])).toEqual({ name: preparedName(a), text: a, values: [1] });
    expect(preparedName(a)).toMatch(/^herald_[0-9a-f]{20}$/);
    expect(preparedName(b)).not.toBe(preparedName(a));
    expect(preparedName(prepared('SELECT $1::int AS spec_a'))).toBe(preparedName(a));
    expect(queryConfig('SELECT 1 AS spec_unmarked')).toEqual({ text: 'SELECT 1 AS spec_unmarked', values: undefined });
  });
});
