import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPublicAddress } from './address-policy.js';
import { checkEndpointResolves, checkEndpointUrl } from './endpoint-policy.js';
import { BLOCKED_ADDRESS, guardedLookup } from './guarded-lookup.js';
import { OutboundClient } from './outbound-client.js';

describe('SSRF guard', () => {
  const strict = { allowPrivate: false };

  it('calls only public unicast addresses public', () => {
    const refused = ['127.0.0.1', '10.0.0.8', '172.16.3.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fc00::1', '::ffff:127.0.0.1', '2002:a00:1::', '224.0.0.1', 'not-an-ip'];

    expect(refused.filter(isPublicAddress)).toEqual([]);
    expect(['8.8.8.8', '2001:4860:4860::8888', '::ffff:8.8.8.8'].every(isPublicAddress)).toBe(true);
  });

  it('wants https without credentials and without private literals', () => {
    const bad = ['http://push.example.com/x', 'https://user:pw@push.example.com/x', 'https://127.0.0.1/x', 'https://[::1]/x', 'https://localhost/x', 'ftp://x', 'nonsense'];

    for (const url of bad) expect(() => checkEndpointUrl(url, strict)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    expect(checkEndpointUrl('https://push.example.com/send/abc', strict).host).toBe('push.example.com');
    expect(checkEndpointUrl('http://127.0.0.1:9/x', { allowPrivate: true }).protocol).toBe('http:');
  });

  it('refuses a name that resolves to loopback, at registration and at connect time', async () => {
    await expect(checkEndpointResolves(new URL('https://localhost./x'), strict)).rejects.toMatchObject({ code: 'validation_failed' });
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => guardedLookup('localhost', {}, (e) => resolve(e)));
    expect(err?.code).toBe(BLOCKED_ADDRESS);
  });

  describe('client', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((req, res) => res.writeHead(201).end('ok'));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise((r) => server.close(r)));

    it('refuses a loopback endpoint unless private endpoints are allowed', async () => {
      const sut = new OutboundClient(strict);
      const open = new OutboundClient({ allowPrivate: true });

      await expect(sut.request({ url: `http://127.0.0.1:${port}/` })).rejects.toMatchObject({ code: 'validation_failed' });
      await expect(open.request({ url: `http://127.0.0.1:${port}/`, body: 'x' })).resolves.toMatchObject({ status: 201, body: 'ok' });
      sut.close();
      open.close();
    });
  });
});
