import type { Browser } from 'playwright-core';
import { signToken } from '@herald/auth';
import { Scope } from '@herald/contracts';
import { http } from '../support/http-client.js';
import { inboxUrl, InboxPage, launchChromium } from '../support/inbox-page.js';
import { startProcessSystem, type ProcessSystem } from '../support/process-system.js';

// The functions passed to waitForFunction and evaluate run in the page.
declare const document: { querySelectorAll(selector: string): Iterable<{ dataset: Record<string, string>; textContent: string | null }> };
declare const window: { heraldDemo: { jobEvents: number[] } };

/**
 * The demo page's jobs panel in Chromium: fed by the topic `jobs` through the
 * SDK, published to from its own dev form and from a service, and resumed
 * after its gateway process is SIGKILLed and started again.
 */
describe('demo page: the live jobs panel', () => {
  let sys: ProcessSystem;
  let browser: Browser;

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startProcessSystem({ gateways: 1, devMode: true }), launchChromium()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  const jobs = (sut: InboxPage) =>
    sut.page.evaluate(() => [...document.querySelectorAll('[data-testid=job]')].map((li) => `${li.dataset.job}:${li.dataset.status}`));
  const jobEvents = (sut: InboxPage) => sut.page.evaluate(() => window.heraldDemo.jobEvents.slice());
  const waitForJobEvents = (sut: InboxPage, count: number) =>
    sut.page.waitForFunction((n) => window.heraldDemo.jobEvents.length >= n, count, { timeout: 20_000, polling: 20 });

  it('shows each job update once, from its own form and from a service, and resumes after a gateway crash', async () => {
    const gateway = sys.gateways[0];
    const service = signToken(sys.secret, { sub: 'ci', scope: Scope.TopicsPublish });
    const publish = (job: string, status: string) => http(sys.api.url, 'POST', '/v1/topics/jobs/events', { token: service, body: { type: `job.${status}`, data: { job, status } } });
    // Dev mode signs the demo user in with a token that grants `jobs`; a 1 s backoff cap keeps the retry quick.
    const sut = await InboxPage.open(await browser.newContext(), inboxUrl(sys.api.url, { ws: gateway.wsUrl, backoffCapMs: 1000 }));
    await sut.waitForState('connected');
    await sut.page.waitForFunction(() => [...document.querySelectorAll('[data-testid=jobs-state]')].some((n) => n.textContent === 'live'), null, { timeout: 10_000 });

    await sut.page.fill('#job-form input[name=job]', 'build-1');
    await sut.page.selectOption('#job-form select[name=status]', 'running');
    await sut.page.click('#job-form button[type=submit]');
    await waitForJobEvents(sut, 1);
    expect((await publish('build-2', 'queued')).status).toBe(201);
    await waitForJobEvents(sut, 2);

    await gateway.stop('SIGKILL');
    await sut.waitForState('reconnecting');
    const during = [await publish('build-1', 'done'), await publish('build-2', 'running')];
    await gateway.start();
    await sut.waitForState('connected');
    await waitForJobEvents(sut, 4);
    await new Promise((r) => setTimeout(r, 300)); // room for a duplicate to show up

    expect(during.map((r) => r.status)).toEqual([201, 201]);
    expect(await jobEvents(sut)).toEqual([1, 2, 3, 4]);
    expect(await jobs(sut)).toEqual(['build-2:running', 'build-1:done']);
    expect(await sut.page.locator('#job-result').textContent()).toBe('Published as jobs #1');
    // Chromium logs each refused connect while the gateway is down; nothing else may go wrong.
    expect(sut.errors.filter((e) => !e.includes('ERR_CONNECTION_REFUSED'))).toEqual([]);
  }, 60_000);
});
