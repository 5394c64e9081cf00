import { request } from 'node:http';
import { startProcessSystem, type ProcessSystem } from './support/process-system.js';

/** GET `path` exactly as written (no URL normalisation on the way). */
function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject).end();
  });
}

const SPELLINGS = ['/metrics', '/METRICS', '/Metrics', '/metrics/', '//metrics', '/%6detrics', '/%6Detrics', '/metrics?format=text', '/metrics.txt', '/metrics%2F'];

/** The built api and gateway (their own main.ts), each with HERALD_METRICS_PORT set by the harness. */
describe('metrics on a port of their own, never on the public one', () => {
  let sys: ProcessSystem;

  beforeAll(async () => {
    sys = await startProcessSystem({ gateways: 1 });
  }, 60_000);
  afterAll(async () => {
    await sys.close();
  });

  it.each(SPELLINGS)('answers 404 for %s on the public port of the api and the gateway', async (path) => {
    for (const app of [sys.api, sys.gateways[0]]) {
      const res = await rawGet(app.url, path);

      expect([app.name, res.status]).toEqual([app.name, 404]);
      expect(res.body).not.toContain('herald_');
    }
  });

  it('serves Prometheus text on the metrics port of each', async () => {
    const api = await rawGet(sys.api.metricsUrl as string, '/metrics');
    const gateway = await rawGet(sys.gateways[0].metricsUrl as string, '/metrics');
    const elsewhere = await rawGet(sys.api.metricsUrl as string, '/healthz');

    expect(api.status).toBe(200);
    expect(api.body).toContain('herald_api_notifications_created_total');
    expect(gateway.status).toBe(200);
    expect(gateway.body).toMatch(/^herald_gateway_connections \d+$/m);
    expect(elsewhere.status).toBe(404); // the metrics port serves metrics only
  });
});
