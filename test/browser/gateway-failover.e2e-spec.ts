import type { Browser, BrowserContext } from 'playwright-core';
import { inboxUrl, InboxPage, launchChromium } from '../support/inbox-page.js';
import { startProcessSystem, type ProcessSystem } from '../support/process-system.js';

/**
 * The gateway behind the page dies for real: the api and the gateway run as
 * their own OS processes (`node dist/...`), and the gateway is SIGKILLed, so
 * nothing is drained or closed politely, then started again on its port.
 */
describe('demo inbox page when its gateway crashes', () => {
  let sys: ProcessSystem;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startProcessSystem({ gateways: 1, devMode: true }), launchChromium()]);
    context = await browser.newContext();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  it('shows reconnecting, then connected, and each notification sent meanwhile once', async () => {
    const gateway = sys.gateways[0];
    // A 1 s backoff cap keeps the retry after the restart within the test's time.
    const sut = await InboxPage.open(context, inboxUrl(sys.api.url, { token: sys.userToken('crash-user'), ws: gateway.wsUrl, backoffCapMs: 1000 }));
    await sut.waitForState('connected');
    await sys.publish(['crash-user'], { title: 'before the crash' });
    await sut.waitForTitle('before the crash');

    await gateway.stop('SIGKILL');
    await sut.waitForState('reconnecting');
    const during = await Promise.all(['while down 1', 'while down 2'].map((title) => sys.publish(['crash-user'], { title })));
    await gateway.start();
    await sut.waitForState('connected');
    await sut.waitForTitle('while down 2');
    await sys.publish(['crash-user'], { title: 'after the restart' });
    await sut.waitForTitle('after the restart');

    expect(during.map((r) => r.status)).toEqual([201, 201]);
    const titles = await sut.titles();
    expect(titles).toHaveLength(4);
    expect(new Set(titles)).toEqual(new Set(['before the crash', 'while down 1', 'while down 2', 'after the restart']));
    expect(titles[0]).toBe('after the restart');
    await sut.waitForUnread(4);
    const states = await sut.states();
    expect(states.indexOf('reconnecting')).toBeGreaterThan(states.indexOf('connected'));
    expect(states.at(-1)).toBe('connected');
  }, 60_000);
});
