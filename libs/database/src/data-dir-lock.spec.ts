import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirInUseError, lockDataDir } from './data-dir-lock.js';

describe('lockDataDir', () => {
  let root: string;
  let dir: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'herald-lock-'));
    dir = join(root, 'data', 'pgdata');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('claims the directory for this process, again for this process, and releases it', () => {
    const release = lockDataDir(dir);
    expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(String(process.pid));

    lockDataDir(dir)();

    expect(existsSync(`${dir}.lock`)).toBe(false);
    release();
  });

  it('refuses a directory a live process holds, and takes over one whose process is gone', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      lockDataDir(dir)();
      writeFileSync(`${dir}.lock`, String(other.pid));

      expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    } finally {
      const gone = new Promise((r) => other.once('exit', r));
      other.kill('SIGKILL');
      await gone;
    }

    const release = lockDataDir(dir);
    expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
    release();
  });
});
