import { readFileSync } from 'node:fs';
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

  it('is set by the api\'s first import, before anything else allocates', () => {
    // ESM evaluates imports in order: a flag set by a later import would come after the app's modules allocated.
    const main = readFileSync(new URL('../main.ts', import.meta.url), 'utf8');
    const imports = [...main.matchAll(/^import\s+(?:[^'"]*from\s+)?'([^']+)';/gm)].map((m) => m[1]);
    expect(imports[0]).toBe('./bootstrap/tune-v8.js');
  });
});
