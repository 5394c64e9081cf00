import type { Browser, BrowserContext } from 'playwright-core';
import { http } from '../support/http-client.js';
import { inboxUrl, InboxPage, launchChromium } from '../support/inbox-page.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

declare const window: { heraldDemo: { client: { leading: boolean; lastSeq: number | null } } };

/**
 * One socket per browser, in a real Chromium: tabs of one origin and user
 * elect a leader with Web Locks that holds the only WebSocket and relays it
 * over BroadcastChannel. Counted where it matters, on the gateway.
 */
describe('tabs of one browser share one socket', () => {
  let sys: TestSystem;
  let browser: Browser;
  let context: BrowserContext;

  const open = (user: string) => InboxPage.open(context, inboxUrl(sys.apis[0].url, { token: sys.userToken(user), ws: sys.gateways[0].wsUrl }));
  const gatewayConnections = async () => {
    const text = String((await http<string>(sys.gateways[0].metricsUrl, 'GET', '/metrics')).body);
    return Number(/^herald_gateway_connections (\d+)$/m.exec(text)?.[1]);
  };
  const leading = (tab: InboxPage) => tab.page.evaluate(() => window.heraldDemo.client.leading);
  /** Waits (bounded) until `check` holds, re-asking every 50 ms. */
  const eventually = async (check: () => Promise<boolean>, what: string, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startTestSystem({ gateways: 1, devMode: true }), launchChromium()]);
  }, 60_000);
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
  });
  afterEach(async () => {
    await context.close();
    await eventually(async () => (await gatewayConnections()) === 0, 'the gateway to see every socket go');
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  it('opens one WebSocket for three tabs, and each tab shows every notification', async () => {
    const tabs = [await open('three-tabs'), await open('three-tabs'), await open('three-tabs')];
    await Promise.all(tabs.map((t) => t.waitForState('connected')));

    for (const title of ['one', 'two']) await sys.publish(['three-tabs'], { title });
    await Promise.all(tabs.map((t) => t.waitForTitle('two')));

    expect(await gatewayConnections()).toBe(1);
    const sockets = tabs.flatMap((t) => t.requests.filter((url) => url.includes('/ws?')));
    expect(sockets).toHaveLength(1);
    expect((await Promise.all(tabs.map(leading))).filter(Boolean)).toHaveLength(1);
    for (const tab of tabs) expect(await tab.titles()).toEqual(['two', 'one']);
    await Promise.all(tabs.map((t) => t.waitForUnread(2)));
    expect(tabs.flatMap((t) => t.errors)).toEqual([]);
  });

  it('hands the socket to another tab when the leader tab closes, with nothing missed', async () => {
    const tabs = [await open('handover'), await open('handover'), await open('handover')];
    await Promise.all(tabs.map((t) => t.waitForState('connected')));
    await sys.publish(['handover'], { title: 'before' });
    await Promise.all(tabs.map((t) => t.waitForTitle('before')));
    const leader = tabs[(await Promise.all(tabs.map(leading))).indexOf(true)];
    const rest = tabs.filter((t) => t !== leader);

    // POSTs go on while the leader tab closes and the lock changes hands.
    const titles = Array.from({ length: 8 }, (_, i) => `during ${i + 1}`);
    const posting = (async () => {
      for (const title of titles) await sys.publish(['handover'], { title });
    })();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await leader.page.close();
    await posting;
    await sys.publish(['handover'], { title: 'after' });

    for (const tab of rest) {
      await tab.waitForTitle('after');
      await tab.waitForUnread(10);
      expect(new Set(await tab.titles())).toEqual(new Set(['before', ...titles, 'after']));
      expect(await tab.titles()).toHaveLength(10);
      expect(await tab.state()).toBe('connected');
    }
    expect((await Promise.all(rest.map(leading))).filter(Boolean)).toHaveLength(1);
    await eventually(async () => (await gatewayConnections()) === 1, 'one socket again');
    expect(rest.flatMap((t) => t.errors)).toEqual([]);
  });
});
