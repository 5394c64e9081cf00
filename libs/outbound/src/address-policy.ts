import ipaddr from 'ipaddr.js';

/**
 * True for an address Herald may send a request to on someone's behalf:
 * ordinary public unicast only. Loopback, private, link-local (cloud
 * metadata lives at 169.254.169.254), carrier-grade NAT, unique-local,
 * multicast, reserved and the tunnelling prefixes that can embed any of
 * those (6to4, Teredo, NAT64) are refused; an IPv4-mapped IPv6 address is
 * judged as the IPv4 address it carries.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}
