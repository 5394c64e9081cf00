import { tuneV8 } from './v8-flags.js';

describe('tuneV8', () => {
  it('turns pretenuring off by default', () => {
    expect(tuneV8([])).toBe(true);
    expect(tuneV8(['--max-old-space-size=512'])).toBe(true);
  });

  it('leaves it to an operator who set it on the command line, either way', () => {
    expect(tuneV8(['--allocation-site-pretenuring'])).toBe(false);
    expect(tuneV8(['--no-allocation-site-pretenuring'])).toBe(false);
    expect(tuneV8(['--allocation_site_pretenuring'])).toBe(false);
  });
});
