import type { Browser, BrowserContext } from 'playwright-core';
import { BlockingProxy } from '../support/blocking-proxy.js';
import { http } from '../support/http-client.js';
import { inboxUrl, InboxPage, launchChromium } from '../support/inbox-page.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

/**
 * WebSockets blocked between the browser and a healthy gateway (a proxy
 * that cuts sockets and answers upgrades with 403): the page keeps the inbox
 * current over REST and goes back to the socket once it is let through.
 */
describe('demo inbox page when WebSockets are blocked', () => {
  let sys: TestSystem;
  let proxy: BlockingProxy;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startTestSystem({ gateways: 1, devMode: true }), launchChromium()]);
    proxy = await BlockingProxy.start(Number(new URL(sys.gateways[0].url).port));
    context = await browser.newContext();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await sys?.close();
  });

  it('falls back to polling, still shows new notifications, then returns to connected', async () => {
    const user = 'blocked-user';
    // Poll every second and cap the backoff at one, so each phase takes seconds, not the defaults' tens.
    const sut = await InboxPage.open(context, inboxUrl(sys.apis[0].url, { token: sys.userToken(user), ws: proxy.wsUrl, pollMs: 1000, backoffCapMs: 1000 }));
    await sut.waitForState('connected');
    await sys.publish([user], { title: 'over the socket' });
    await sut.waitForTitle('over the socket');

    proxy.block();
    await sut.waitForState('reconnecting');
    await sut.waitForState('polling');
    const polled = await sys.publish([user], { title: 'over REST' });
    await sut.waitForTitle('over REST');
    const stateWhenShown = await sut.state();
    await sut.waitForUnread(2);
    // Read elsewhere (another device): no frame can say so, the next poll does.
    await http(sys.apis[0].url, 'POST', `/v1/notifications/${polled.body.notifications[0].id}/read`, { token: sys.userToken(user) });
    await sut.waitForUnread(1);

    proxy.unblock();
    await sut.waitForState('connected');
    await sys.publish([user], { title: 'over the socket again' });
    await sut.waitForTitle('over the socket again');

    expect(stateWhenShown).toBe('polling');
    expect(await sut.titles()).toEqual(['over the socket again', 'over REST', 'over the socket']);
    await sut.waitForUnread(2);
    expect(sut.errors.filter((e) => !/WebSocket|403/.test(e))).toEqual([]);
  }, 60_000);
});
