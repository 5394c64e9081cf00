import type { Browser, BrowserContext } from 'playwright-core';
import { artifactPath, inboxUrl, InboxPage, launchChromium } from '../support/inbox-page.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

/**
 * The demo inbox page in Chromium against the real api and a gateway
 * (separate Nest apps on loopback ports, real Postgres and Redis). The page
 * is served by the api; `?ws=` points its socket at the gateway's port.
 */
describe('demo inbox page in Chromium', () => {
  let sys: TestSystem;
  let browser: Browser;
  let context: BrowserContext;

  const open = (user: string) => InboxPage.open(context, inboxUrl(sys.apis[0].url, { token: sys.userToken(user), ws: sys.gateways[0].wsUrl }));

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startTestSystem({ gateways: 1, devMode: true }), launchChromium()]);
  }, 60_000);
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
  });
  afterEach(async () => {
    await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  it('shows a POST in two tabs of one user within a second, and a read in one tab clears the badge in the other', async () => {
    const [sut, other] = [await open('tabs-user'), await open('tabs-user')];
    await Promise.all([sut.waitForState('connected'), other.waitForState('connected')]);

    const started = Date.now();
    const res = await sys.publish(['tabs-user'], { title: 'Quiz passed', body: 'You scored 92%', severity: 'success' });
    await Promise.all([sut.waitForTitle('Quiz passed', 5000), other.waitForTitle('Quiz passed', 5000)]);
    const elapsed = Date.now() - started;

    expect(res.status).toBe(201);
    expect(elapsed).toBeLessThan(1000);
    await Promise.all([sut.waitForUnread(1), other.waitForUnread(1)]);

    await sut.markRead('Quiz passed');

    await other.waitForUnread(0);
    await other.waitForRead('Quiz passed');
    await sut.waitForUnread(0);
    expect(await other.titles()).toEqual(['Quiz passed']);
    expect([...sut.errors, ...other.errors]).toEqual([]);
  });

  it('marks all read from one tab for every tab, and counts new ones again', async () => {
    const [sut, other] = [await open('all-user'), await open('all-user')];
    await Promise.all([sut.waitForState('connected'), other.waitForState('connected')]);
    for (const title of ['one', 'two', 'three']) await sys.publish(['all-user'], { title });
    await other.waitForUnread(3);

    await sut.markAllRead();

    await other.waitForUnread(0);
    await Promise.all(['one', 'two', 'three'].map((t) => other.waitForRead(t)));
    await sys.publish(['all-user'], { title: 'four' });
    await Promise.all([sut.waitForUnread(1), other.waitForUnread(1)]);
    expect(await other.titles()).toEqual(['four', 'three', 'two', 'one']);
  });

  it('moves ?token= out of the address bar before the page requests anything else', async () => {
    const token = sys.userToken('url-user');

    const sut = await InboxPage.open(context, inboxUrl(sys.apis[0].url, { token, ws: sys.gateways[0].wsUrl }));
    await sut.waitForState('connected');

    expect(sut.page.url()).not.toContain('token=');
    expect(sut.page.url()).not.toContain(token);
    const later = sut.requests.slice(1); // the first is the navigation that carried it
    expect(later.length).toBeGreaterThan(0);
    expect(later.filter((url) => url.includes(token))).toEqual([]);
    expect(later.some((url) => url.includes('/ws?ticket='))).toBe(true);
    await sut.page.reload();
    await sut.waitForState('connected'); // the tab kept it, so a reload still signs in
    expect(await sut.page.locator('[data-testid=current-user]').textContent()).toBe('url-user');
  });

  it('says so and stops when the token is refused', async () => {
    const expired = sys.userToken('expired-user', { expiresIn: -60 });

    const sut = await InboxPage.open(context, inboxUrl(sys.apis[0].url, { token: expired, ws: sys.gateways[0].wsUrl }));

    await sut.waitForState('closed');
    expect(await sut.page.locator('#status').textContent()).toMatch(/^The token was refused/);
    expect(sut.requests.some((url) => url.includes('/ws?'))).toBe(false);
  });

  it('signs in the demo user without a token in dev mode and sends a test notification from the form', async () => {
    const sut = await InboxPage.open(context, inboxUrl(sys.apis[0].url, { ws: sys.gateways[0].wsUrl }));
    await sut.waitForState('connected');
    expect(await sut.page.locator('[data-testid=current-user]').textContent()).toBe('alice');

    await sut.page.fill('#send-form input[name=title]', 'Sent from the form');
    await sut.page.selectOption('#send-form select[name=severity]', 'warning');
    await sut.page.click('#send-form button[type=submit]');

    await sut.waitForTitle('Sent from the form');
    expect(await sut.page.locator('#send-result').textContent()).toMatch(/^Sent as #\d+$/);
    expect(sut.errors).toEqual([]);
  });

  it('renders the open inbox (screenshot in test-artifacts/)', async () => {
    const sut = await open('screenshot-user');
    await sut.waitForState('connected');
    const samples = [
      { title: 'Welcome to Herald', body: 'Notifications arrive here live.', severity: 'info' },
      { title: 'Payment failed', body: 'Card ending 4242 was declined.', severity: 'error' },
      { title: 'Disk almost full', body: '92% used on /var', severity: 'warning' },
      { title: 'Quiz passed', body: 'You scored 92%', severity: 'success', link: 'https://example.com/quiz/1' },
    ];
    for (const fields of samples) await sys.publish(['screenshot-user'], fields);
    await sut.waitForTitle('Quiz passed');
    await sut.markRead('Welcome to Herald');
    await sut.waitForUnread(3);

    const path = artifactPath('demo-inbox.png');
    await sut.page.screenshot({ path });

    expect(await sut.titles()).toEqual(samples.map((s) => s.title).reverse());
    expect(await sut.isUnread('Welcome to Herald')).toBe(false);
    expect(await sut.page.locator('[data-testid=inbox-panel]').isVisible()).toBe(true);
  });
});
