import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import ipaddr from 'ipaddr.js';
import proxyAddr from 'proxy-addr';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';

/**
 * What every server request looks like for this purpose: headers and the
 * socket it came in on. An express or Fastify request and the upgrade
 * request of a WebSocket all fit, so nothing here depends on the adapter.
 */
export interface RequestLike {
  headers: IncomingHttpHeaders;
  socket?: { remoteAddress?: string } | null;
}

/** The client address of a request whose socket is already gone. */
const UNKNOWN = 'unknown';

/**
 * Who is calling, as an IP address: the socket peer, or, when the peer is one
 * of HERALD_TRUSTED_PROXIES, the address that proxy (and each trusted proxy
 * before it) saw in X-Forwarded-For. proxy-addr walks the header from the
 * right and stops at the first hop that is not trusted, so a client cannot
 * pick its own address by sending the header itself. The per-address limits
 * and the audit log both take it from here.
 */
@Injectable()
export class ClientAddress {
  private readonly trust: (address: string, hop: number) => boolean;

  constructor(@Inject(HERALD_CONFIG) config: Pick<HeraldConfig, 'trustedProxies'>) {
    this.trust = config.trustedProxies.length ? proxyAddr.compile(config.trustedProxies) : () => false;
  }

  of(req: RequestLike): string {
    if (!req.socket?.remoteAddress) return UNKNOWN;
    // The chain runs from the peer to the first untrusted hop. A hop that is
    // not an address was written by the client itself (a proxy writes only
    // addresses): the hop before it is who sent it.
    const chain = proxyAddr.all(req as Parameters<typeof proxyAddr.all>[0], this.trust);
    for (let i = chain.length - 1; i >= 0; i--) {
      if (ipaddr.isValid(chain[i])) return ipaddr.process(chain[i]).toString();
    }
    return UNKNOWN;
  }
}

/**
 * The key a per-address budget counts under: an IPv4 address as is, an IPv6
 * one by its /64, since one host (or one attacker) holds a whole /64.
 */
export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const v6 = parsed as ipaddr.IPv6;
  return `${v6.parts.slice(0, 4).map((p) => p.toString(16)).join(':')}::/64`;
}
