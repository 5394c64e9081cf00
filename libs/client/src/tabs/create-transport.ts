import type { ResolvedOptions } from '../client-options.js';
import { ConnectionStats } from '../connection/connection-stats.js';
import { SocketTransport } from '../connection/socket-transport.js';
import type { Transport, TransportHooks } from '../connection/transport.js';
import type { RestClient } from '../rest-client.js';
import { SharedTransport } from './shared-transport.js';

/**
 * A socket shared by the tabs of the origin where the host can, else one of
 * this client's own. Whichever holds the socket counts its reconnects and
 * polling fallbacks and reports them.
 */
export function createTransport(options: ResolvedOptions, rest: RestClient, hooks: TransportHooks): Transport {
  const stats = new ConnectionStats(rest, options.timers, options.statsIntervalMs);
  const socket = (socketHooks: TransportHooks) =>
    new SocketTransport(options, rest, {
      ...socketHooks,
      state: (state) => {
        stats.observe(state);
        socketHooks.state(state);
      },
    });
  if (!options.tabs) return socket(hooks);
  return new SharedTransport({ wsUrl: options.wsUrl, getToken: options.getToken, socket }, options.tabs, hooks);
}
