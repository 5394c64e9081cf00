import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SdkBundle, sdkDirectories } from './sdk-bundle.js';

class BundleIn extends SdkBundle {
  constructor(protected override readonly directories: string[]) {
    super();
  }
}

describe('SdkBundle', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'herald-sdk-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('looks beside the compiled api first, then in dist/client under the working directory', () => {
    const compiled = pathToFileURL('/app/dist/apps/api/src/demo/sdk-bundle.js').href;

    const sut = sdkDirectories(compiled, '/repo');

    expect(sut).toEqual(['/app/dist/client/', join('/repo', 'dist', 'client')]);
  });

  it('reads a built file, and keeps answering from memory', () => {
    writeFileSync(join(dir, 'herald-client.js'), 'export {}');
    const sut = new BundleIn(['/nowhere', dir]);

    const first = sut.read('herald-client.js');
    rmSync(join(dir, 'herald-client.js'));

    expect(first?.toString()).toBe('export {}');
    expect(sut.read('herald-client.js')).toBe(first);
  });

  it('answers null for names it does not serve, and for a bundle not built yet', () => {
    writeFileSync(join(dir, 'secret.txt'), 'no');
    const sut = new BundleIn([dir]);

    expect(sut.read('secret.txt')).toBeNull();
    expect(sut.read('../secret.txt')).toBeNull();
    expect(sut.read('herald-client.js')).toBeNull();
    writeFileSync(join(dir, 'herald-client.js'), 'built later');
    expect(sut.read('herald-client.js')?.toString()).toBe('built later');
  });
});
