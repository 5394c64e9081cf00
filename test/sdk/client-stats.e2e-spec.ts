import { BlockingProxy } from '../support/blocking-proxy.js';
import { http } from '../support/http-client.js';
import { RecordedClient } from '../support/recorded-client.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

/** The value of an unlabelled counter in a Prometheus text scrape. */
const counter = (text: string, name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);

/**
 * The SDK's reconnect and polling-fallback counts reach the api's /metrics:
 * a real client behind a proxy that starts refusing WebSockets reconnects,
 * falls back to polling, and reports both; the scrape shows them.
 */
describe('client stats on /metrics', () => {
  let sys: TestSystem;
  let proxy: BlockingProxy;
  let sut: RecordedClient;

  beforeAll(async () => {
    sys = await startTestSystem({ gateways: 1 });
    proxy = await BlockingProxy.start(Number(new URL(sys.gateways[0].url).port));
  });
  afterAll(async () => {
    sut?.close();
    await proxy?.close();
    await sys?.close();
  });

  const scrape = async () => String((await http<string>(sys.apis[0].metricsUrl, 'GET', '/metrics')).body);

  it('counts a reconnect and a polling fallback reported by a real client', async () => {
    const before = await scrape();
    sut = new RecordedClient({
      url: sys.apis[0].url,
      wsUrl: proxy.wsUrl,
      getToken: () => sys.userToken('stats-user'),
      socketAuth: 'header',
      failuresBeforePolling: 1,
      backoffBaseMs: 20,
      backoffCapMs: 100,
      pollIntervalMs: 200,
      // Both counts land before the first report, so they go in one request.
      statsIntervalMs: 1500,
    });
    await sut.open();

    proxy.block();
    await sut.until(() => sut.client.state === 'polling', 'polling');
    let after = before;
    const deadline = Date.now() + 10_000;
    while (counter(after, 'herald_client_polling_fallbacks_total') < 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await scrape();
    }

    expect(counter(before, 'herald_client_reconnects_total')).toBe(0);
    expect(counter(before, 'herald_client_polling_fallbacks_total')).toBe(0);
    expect(counter(after, 'herald_client_reconnects_total')).toBe(1);
    expect(counter(after, 'herald_client_polling_fallbacks_total')).toBe(1);
    expect(sut.errors).toEqual([]);
  });

  it('clamps a report and takes one per user per interval', async () => {
    const token = sys.userToken('stats-liar');
    const before = counter(await scrape(), 'herald_client_reconnects_total');

    const first = await http(sys.apis[0].url, 'POST', '/v1/client-stats', { token, body: { reconnects: 1_000_000, pollingFallbacks: 0 } });
    const second = await http(sys.apis[0].url, 'POST', '/v1/client-stats', { token, body: { reconnects: 5, pollingFallbacks: 0 } });
    const invalid = await http(sys.apis[0].url, 'POST', '/v1/client-stats', { token: sys.userToken('stats-bad'), body: { reconnects: -1, pollingFallbacks: 'x' } });

    expect(first.status).toBe(204);
    expect(second.status).toBe(429);
    expect(second.body).toMatchObject({ code: 'rate_limited' });
    expect(invalid.status).toBe(400);
    expect(counter(await scrape(), 'herald_client_reconnects_total') - before).toBe(20);
  });
});
