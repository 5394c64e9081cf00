import type { ResolvedOptions } from '../client-options.js';
import { SocketTransport } from '../connection/socket-transport.js';
import type { Transport, TransportHooks } from '../connection/transport.js';
import type { RestClient } from '../rest-client.js';
import { SharedTransport } from './shared-transport.js';

/** A socket shared by the tabs of the origin where the host can, else one of this client's own. */
export function createTransport(options: ResolvedOptions, rest: RestClient, hooks: TransportHooks): Transport {
  const socket = (socketHooks: TransportHooks) => new SocketTransport(options, rest, socketHooks);
  if (!options.tabs) return socket(hooks);
  return new SharedTransport({ wsUrl: options.wsUrl, getToken: options.getToken, socket }, options.tabs, hooks);
}
