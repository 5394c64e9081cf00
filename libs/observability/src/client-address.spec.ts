import { addressKey, ClientAddress } from './client-address.js';

const request = (peer: string | undefined, forwardedFor?: string) => ({
  headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  socket: { remoteAddress: peer },
});

describe('ClientAddress', () => {
  it('is the socket peer when no proxy is trusted, whatever the request claims', () => {
    const sut = new ClientAddress({ trustedProxies: [] });

    expect(sut.of(request('203.0.113.7', '198.51.100.1'))).toBe('203.0.113.7');
  });

  it("takes X-Forwarded-For's last untrusted hop when the peer is a trusted proxy", () => {
    const sut = new ClientAddress({ trustedProxies: ['10.0.0.0/8'] });

    // The client wrote 1.2.3.4 itself; the proxy appended the address it saw.
    expect(sut.of(request('10.1.2.3', '1.2.3.4, 198.51.100.9'))).toBe('198.51.100.9');
    expect(sut.of(request('10.1.2.3', '1.2.3.4, 198.51.100.9, 10.9.9.9'))).toBe('198.51.100.9');
  });

  it('ignores X-Forwarded-For from a peer that is not trusted', () => {
    const sut = new ClientAddress({ trustedProxies: ['10.0.0.0/8'] });

    expect(sut.of(request('198.51.100.9', '10.1.1.1'))).toBe('198.51.100.9');
  });

  it('takes range names, and maps IPv4-mapped IPv6 peers to IPv4', () => {
    const sut = new ClientAddress({ trustedProxies: ['loopback'] });

    expect(sut.of(request('::ffff:127.0.0.1', '203.0.113.5'))).toBe('203.0.113.5');
    expect(sut.of(request('::ffff:203.0.113.5'))).toBe('203.0.113.5');
  });

  it('never returns what a client wrote that is not an address', () => {
    const sut = new ClientAddress({ trustedProxies: ['loopback', 'uniquelocal'] });

    expect(sut.of(request('127.0.0.1', 'evil\u0000, 192.168.1.20'))).toBe('192.168.1.20');
    expect(sut.of(request(undefined))).toBe('unknown');
  });
});

describe('addressKey', () => {
  it('keeps IPv4 and folds IPv6 into its /64', () => {
    expect(addressKey('203.0.113.5')).toBe('203.0.113.5');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:db8:1:2:ffff::9'));
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
  });
});
