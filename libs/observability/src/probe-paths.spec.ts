import { isProbeRequest } from './probe-paths.js';

describe('isProbeRequest', () => {
  it('knows the probes as the router matches them: any case, a trailing slash, a query', () => {
    for (const url of ['/healthz', '/readyz', '/READYZ/', '/Healthz?x=1', '/readyz/?verbose']) expect(isProbeRequest(url)).toBe(true);
  });

  it('exempts nothing else', () => {
    for (const url of ['/', '/healthz/x', '/healthzz', '//healthz', '/v1/healthz', '/%68ealthz', '/healthz//', '/x?/healthz']) expect(isProbeRequest(url)).toBe(false);
  });
});
