import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isPublicAddress } from './address-policy.js';

type Callback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** The error a connection gets when its host resolves to an address Herald may not call. */
export const BLOCKED_ADDRESS = 'EHERALDBLOCKED';

/**
 * A `lookup` for http(s) agents that resolves as usual and then refuses
 * the connection unless every address is public. Checking at connect time,
 * on the addresses actually dialled, is what stops DNS rebinding (a name
 * that was public when registered and points at 127.0.0.1 now).
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: Callback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const list = addresses as LookupAddress[];
    if (list.length === 0 || !list.every((a) => isPublicAddress(a.address))) {
      const blocked = Object.assign(new Error(`${hostname} resolves to an address that is not public`), { code: BLOCKED_ADDRESS });
      return callback(blocked, '');
    }
    if (options.all) return callback(null, list);
    callback(null, list[0].address, list[0].family);
  });
}
