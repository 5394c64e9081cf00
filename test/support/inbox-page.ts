import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// The functions passed to waitForFunction run in the page; the repo's lib
// has no DOM, so these are the few browser globals they touch.
interface PageNode {
  textContent: string | null;
  classList: { contains(name: string): boolean };
  querySelector(selector: string): PageNode | null;
}
declare const document: { querySelector(selector: string): PageNode | null; querySelectorAll(selector: string): Iterable<PageNode> };
declare const window: { heraldDemo: { states: string[] } };

/** Debian's Chromium; tests never download a browser (.ci/run apt-installs it). */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Where tests leave screenshots (gitignored). */
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

/** The query of the demo page: the user's token and the test hooks (dev mode only). */
export function inboxUrl(base: string, query: { token?: string; ws?: string; pollMs?: number; backoffCapMs?: number }): string {
  const url = new URL('/', base);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
  return url.toString();
}

/**
 * The demo inbox in one tab, driven the way a person reads it: the
 * indicator's text, the badge, the list. Every wait re-checks the DOM
 * every 20 ms in the page, so no test sleeps.
 */
export class InboxPage {
  /** Uncaught page errors and console errors (a CSP violation lands here). */
  readonly errors: string[] = [];
  /** Every URL the tab requested, sockets included, to check where the token went. */
  readonly requests: string[] = [];

  private constructor(readonly page: Page) {
    page.on('pageerror', (error) => this.errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && this.errors.push(message.text()));
    page.on('request', (request) => this.requests.push(request.url()));
    page.on('websocket', (socket) => this.requests.push(socket.url()));
  }

  static async open(context: BrowserContext, url: string): Promise<InboxPage> {
    const sut = new InboxPage(await context.newPage());
    await sut.page.goto(url);
    return sut;
  }

  state(): Promise<string | null> {
    return this.page.locator('[data-testid=connection-state]').textContent();
  }

  /** Waits until the connection indicator reads exactly `text`. */
  async waitForState(text: string, timeoutMs = 20_000): Promise<void> {
    await this.waitFor((t) => document.querySelector('[data-testid=connection-state]')?.textContent === t, text, timeoutMs, `state "${text}"`);
  }

  unread(): Promise<string | null> {
    return this.page.locator('[data-testid=unread-badge]').textContent();
  }

  async waitForUnread(count: number, timeoutMs = 10_000): Promise<void> {
    await this.waitFor((c) => document.querySelector('[data-testid=unread-badge]')?.textContent === c, String(count), timeoutMs, `unread ${count}`);
  }

  /** Titles in the list, newest first. */
  titles(): Promise<string[]> {
    return this.page.locator('[data-testid=notification] .title').allTextContents();
  }

  async waitForTitle(title: string, timeoutMs = 10_000): Promise<void> {
    await this.waitFor(
      (t) => [...document.querySelectorAll('[data-testid=notification] .title')].some((n) => n.textContent === t),
      title,
      timeoutMs,
      `notification "${title}"`,
    );
  }

  /** True when the item titled `title` is shown as unread. */
  isUnread(title: string): Promise<boolean> {
    return this.item(title).evaluate((li) => li.classList.contains('unread'));
  }

  async waitForRead(title: string, timeoutMs = 10_000): Promise<void> {
    await this.waitFor(
      (t) => [...document.querySelectorAll('[data-testid=notification]')].some((li) => li.querySelector('.title')?.textContent === t && !li.classList.contains('unread')),
      title,
      timeoutMs,
      `"${title}" read`,
    );
  }

  /** Clicks go to the front tab, as a person's do (a background tab runs no animation frames). */
  async openPanel(): Promise<void> {
    await this.page.bringToFront();
    if (await this.page.locator('[data-testid=inbox-panel]').isHidden()) await this.page.click('[data-testid=bell]');
  }

  async markRead(title: string): Promise<void> {
    await this.openPanel();
    await this.item(title).locator('[data-testid=mark-read]').click();
  }

  async markAllRead(): Promise<void> {
    await this.openPanel();
    await this.page.click('[data-testid=mark-all-read]');
  }

  /** The indicator texts this tab has shown, in order. */
  states(): Promise<string[]> {
    return this.page.evaluate(() => window.heraldDemo.states.slice());
  }

  private item(title: string) {
    return this.page.locator('[data-testid=notification]').filter({ has: this.page.locator('.title', { hasText: title }) });
  }

  private async waitFor(check: (arg: string) => boolean, arg: string, timeoutMs: number, what: string): Promise<void> {
    try {
      // A timer, not animation frames: those stop in a background tab, which is where the other tab's updates land.
      await this.page.waitForFunction(check, arg, { timeout: timeoutMs, polling: 20 });
    } catch (error) {
      const seen = { state: await this.state(), unread: await this.unread(), titles: await this.titles(), errors: this.errors };
      throw new Error(`waiting for ${what}: ${(error as Error).message.split('\n')[0]}; page shows ${JSON.stringify(seen)}`, { cause: error });
    }
  }
}
