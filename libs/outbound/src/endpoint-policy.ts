import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPublicAddress } from './address-policy.js';
import { EndpointBlockedError } from './outbound-errors.js';

/** What a guarded request may reach. */
export interface EndpointPolicy {
  /** http:// and loopback/private/link-local addresses too (HERALD_ALLOW_PRIVATE_ENDPOINTS=true). @default false */
  allowPrivate: boolean;
}

/** Host of a URL without IPv6 brackets. */
const bareHost = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Checks a URL before it is stored or called: https only, no user info, and
 * an IP literal must be public. Names are checked again when they resolve
 * (see `guardedLookup`), so a name that later points inside is caught then.
 * Answers the parsed URL.
 */
export function checkEndpointUrl(raw: string, policy: EndpointPolicy, field = 'url'): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EndpointBlockedError(field, 'must be an absolute URL');
  }
  const protocols = policy.allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!protocols.includes(url.protocol)) throw new EndpointBlockedError(field, 'must be an https URL');
  if (url.username || url.password) throw new EndpointBlockedError(field, 'must not carry credentials');
  const host = bareHost(url);
  if (!policy.allowPrivate && (isIP(host) ? !isPublicAddress(host) : /^localhost\.?$/i.test(host))) {
    throw new EndpointBlockedError(field, 'must reach a public address');
  }
  return url;
}

/**
 * Resolves the URL's host now and refuses it unless every address is
 * public: the check at registration time, so a bad URL is a 400 rather
 * than a disabled endpoint a day later. Connections check again.
 */
export async function checkEndpointResolves(url: URL, policy: EndpointPolicy, field = 'url'): Promise<void> {
  if (policy.allowPrivate || isIP(bareHost(url))) return;
  let addresses: { address: string }[];
  try {
    addresses = await lookup(bareHost(url), { all: true });
  } catch {
    throw new EndpointBlockedError(field, 'has a host name that does not resolve');
  }
  if (addresses.length === 0 || !addresses.every((a) => isPublicAddress(a.address))) {
    throw new EndpointBlockedError(field, 'must reach a public address');
  }
}
