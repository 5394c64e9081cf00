import type { Browser, BrowserContext } from 'playwright-core';
import { artifactPath, inboxUrl, InboxPage, launchChromium } from '../support/inbox-page.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

// The functions passed to evaluate run in the page; the repo's lib has no DOM.
interface PageElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
  closest(selector: string): PageElement | null;
  querySelector(selector: string): PageElement | null;
}
declare const document: { activeElement: PageElement | null; querySelectorAll(selector: string): Iterable<PageElement> };
declare const window: { heraldDemo: { seenReported: string[]; client: { inbox: { get(id: string): { seenAt?: string | null } | undefined } } } };

/**
 * The demo inbox's tabs, actions, grouping and keyboard use in Chromium,
 * against the real api and gateway.
 */
describe('demo inbox tabs and actions in Chromium', () => {
  let sys: TestSystem;
  let browser: Browser;
  let context: BrowserContext;

  const open = async (user: string) => {
    const sut = await InboxPage.open(context, inboxUrl(sys.apis[0].url, { token: sys.userToken(user), ws: sys.gateways[0].wsUrl }));
    await sut.waitForState('connected');
    return sut;
  };
  /** Each tab as "Label count", and which is selected. */
  const tabs = (sut: InboxPage) =>
    sut.page.locator('[data-testid=tab]').evaluateAll((nodes) =>
      nodes.map((n) => `${n.childNodes[0].textContent} ${n.querySelector('[data-testid=tab-count]')?.textContent}${n.getAttribute('aria-selected') === 'true' ? ' *' : ''}`),
    );
  const waitForTabs = async (sut: InboxPage, expected: string[]) => {
    const deadline = Date.now() + 10_000;
    let seen: string[] = [];
    while (Date.now() < deadline) {
      seen = await tabs(sut);
      if (JSON.stringify(seen) === JSON.stringify(expected)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`tabs are ${JSON.stringify(seen)}, not ${JSON.stringify(expected)}`);
  };
  const item = (sut: InboxPage, title: string) => sut.page.locator('[data-testid=notification]').filter({ has: sut.page.locator('.title', { hasText: title }) });

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startTestSystem({ gateways: 1, devMode: true }), launchChromium()]);
  }, 60_000);
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  });
  afterEach(async () => {
    await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  it('shows tabs with counts and a grouped entry, archives, and renders the screenshot', async () => {
    const sut = await open('demo-tabs');
    for (const actor of ['Ana', 'Bo', 'Cy', 'Dee']) {
      await sys.publish(['demo-tabs'], {
        title: 'New comments on "Launch plan"', body: `${actor}: looks good to me`, actor, groupKey: 'comment:post-42', category: 'social',
        data: { verb: 'commented' }, actions: [{ id: 'reply', label: 'Reply', style: 'primary' }],
      });
    }
    await sys.publish(['demo-tabs'], { title: 'Invoice #1042 is ready', body: '€120.00, due in 14 days', category: 'billing', severity: 'warning', actions: [{ id: 'pay', label: 'Pay now', style: 'primary' }, { id: 'later', label: 'Later', style: 'secondary' }] });
    await sys.publish(['demo-tabs'], { title: 'Password changed', body: 'If this was not you, reset it now.', category: 'system', severity: 'error' });
    await sys.publish(['demo-tabs'], { title: 'Old receipt', category: 'billing' });
    await sut.openPanel();
    await sut.waitForTitle('Old receipt');

    await item(sut, 'Old receipt').locator('[data-testid=archive]').click();

    await waitForTabs(sut, ['All 3 *', 'Unread 3', 'Archived 1', 'Billing 1', 'Social 1', 'System 1']);
    expect(await sut.page.locator('[data-testid=group-summary]').textContent()).toBe('Dee and 3 others commented');
    expect(await item(sut, 'Launch plan').getAttribute('data-group-count')).toBe('4');
    expect(await sut.titles()).toEqual(['Password changed', 'Invoice #1042 is ready', 'New comments on "Launch plan"']);
    await sut.page.click('[data-testid=tab][data-tab=archived]');
    await sut.waitForTitle('Old receipt');
    expect(await sut.titles()).toEqual(['Old receipt']);
    await sut.page.click('[data-testid=tab][data-tab=all]');
    await sut.waitForTitle('Password changed');
    await sut.page.locator('[data-testid=bell]').focus();

    // test-artifacts/ (gitignored); docs/images/inbox-demo.png is a copy of it.
    await sut.page.screenshot({ path: artifactPath('inbox-demo.png') });
    expect(sut.errors).toEqual([]);
  });

  it('is usable from the keyboard: tabs by arrow keys, snooze by its menu, and announces new items', async () => {
    const sut = await open('demo-keys');
    await sys.publish(['demo-keys'], { title: 'Snooze me', category: 'social' });
    await sys.publish(['demo-keys'], { title: 'Keep me', category: 'social' });
    await sut.openPanel();
    await sut.waitForTitle('Snooze me');

    await sut.page.locator('[data-testid=tab][aria-selected=true]').focus();
    await sut.page.keyboard.press('ArrowRight');
    const afterRight = await sut.page.evaluate(() => [document.activeElement?.getAttribute('data-tab'), document.activeElement?.getAttribute('aria-selected')]);
    await sut.page.keyboard.press('End');
    const afterEnd = await sut.page.locator('[data-testid=tab][aria-selected=true]').getAttribute('data-tab');
    await sut.page.keyboard.press('Home');
    expect(afterRight).toEqual(['unread', 'true']);
    expect(afterEnd).toBe('category:social');
    expect(await sut.page.locator('[role=tabpanel]').getAttribute('aria-labelledby')).toBe('tab-all');

    const snooze = item(sut, 'Snooze me').locator('[data-testid=snooze]');
    await snooze.focus();
    await sut.page.keyboard.press('Enter');
    const opened = await sut.page.evaluate(() => document.activeElement?.textContent);
    await sut.page.keyboard.press('ArrowDown');
    // A new item re-renders the list while the menu is open: the menu, and focus on the same option, survive it.
    await sys.publish(['demo-keys'], { title: 'Arrives meanwhile', category: 'social' });
    await sut.waitForTitle('Arrives meanwhile');
    expect(opened).toBe('1 hour');
    expect(await snooze.getAttribute('aria-expanded')).toBe('true');
    expect(await sut.page.evaluate(() => document.activeElement?.textContent)).toBe('Tomorrow');
    await sut.page.keyboard.press('Enter'); // "Tomorrow"

    await sut.page.waitForFunction(() => ![...document.querySelectorAll('[data-testid=notification] .title')].some((n) => n.textContent === 'Snooze me'), undefined, { polling: 50, timeout: 10_000 });
    // Focus went to the item that took its place, not to the page.
    expect(await sut.page.evaluate(() => document.activeElement?.closest('[data-testid=notification]')?.querySelector('.title')?.textContent)).toBe('Keep me');

    await sys.publish(['demo-keys'], { title: 'Fresh one' });
    await sut.waitForTitle('Fresh one');
    expect(await sut.page.locator('[data-testid=inbox-announcer]').textContent()).toBe('New notification: Fresh one');
    expect(await sut.page.locator('[data-testid=inbox-announcer]').getAttribute('aria-live')).toBe('polite');
  });

  it('reports seen for what the open panel shows, and an action marks the item read', async () => {
    const sut = await open('demo-seen');
    await sys.publish(['demo-seen'], { title: 'Reply to Ana', actions: [{ id: 'reply', label: 'Reply' }] });
    await sut.waitForTitle('Reply to Ana');
    const id = String(await item(sut, 'Reply to Ana').getAttribute('data-id'));
    const reportedClosed = await sut.page.evaluate(() => window.heraldDemo.seenReported.length);

    await sut.openPanel();
    await sut.page.waitForFunction((i) => Boolean(window.heraldDemo.client.inbox.get(i)?.seenAt), id, { polling: 50, timeout: 10_000 });
    await item(sut, 'Reply to Ana').locator('[data-testid=action][data-action=reply]').click();
    await sut.waitForRead('Reply to Ana');

    expect(reportedClosed).toBe(0);
    expect(await sut.page.evaluate(() => window.heraldDemo.seenReported)).toEqual([id]);
    await sut.waitForUnread(0);
  });
});
