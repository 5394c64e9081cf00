import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { LOOPBACK_PRELOAD as PRELOAD } from '../../scripts/harness/herald-process.mjs';
import { freePort } from '../../scripts/harness/network.mjs';
import { InboxPage, launchChromium } from '../support/inbox-page.js';

const MAIN = join(process.cwd(), 'dist/apps/embedded/src/main.js');

/**
 * `npm start` as a person first meets it: open http://localhost:PORT/ with
 * nothing else, get the demo user's inbox on the same origin's /ws, and send
 * yourself a notification from the page.
 */
describe('demo page in embedded mode (npm start)', () => {
  let child: ChildProcess;
  let dir: string;
  let base: string;
  let browser: Browser;
  let output = '';

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error('dist/ is missing: `npm test` builds it first (pretest)');
    dir = mkdtempSync(join(tmpdir(), 'herald-embedded-page-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    browser = await launchChromium();
    // No DATABASE_URL, REDIS_URL or secret: PGlite, the in-process bus and a generated dev secret.
    child = spawn(process.execPath, ['--import', PRELOAD, MAIN], { cwd: dir, env: { PATH: process.env.PATH ?? '', PORT: String(port), HERALD_METRICS_PORT: '0', LOG_LEVEL: 'warn' } });
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    const deadline = Date.now() + 50_000;
    while (!output.includes('service token')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`embedded mode did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs in the demo user with no token, connects on the same origin, and shows what its form sends', async () => {
    const sut = await InboxPage.open(await browser.newContext(), `${base}/`);
    await sut.waitForState('connected');

    await sut.page.fill('#send-form input[name=title]', 'Hello from the embedded page');
    await sut.page.click('#send-form button[type=submit]');

    await sut.waitForTitle('Hello from the embedded page');
    await sut.waitForUnread(1);
    expect(await sut.page.locator('[data-testid=current-user]').textContent()).toBe('alice');
    expect(sut.requests.filter((url) => url.startsWith('ws:'))).toEqual([expect.stringMatching(new RegExp(`^ws://127\\.0\\.0\\.1:${new URL(base).port}/ws\\?ticket=`))]);
    expect(sut.errors).toEqual([]);
  });
});
