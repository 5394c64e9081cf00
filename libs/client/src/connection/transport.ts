import type { ClientFrame, ServerFrame, WelcomeFrame } from '@herald/contracts';
import type { ConnectionState } from '../connection-state.js';

/**
 * Names one socket attempt. Frames carry the link they came on, because
 * they are handled later, in the client's queue: by then that socket may be
 * gone, and work meant for it (accepting its welcome, dropping it after a
 * failed gap fill) must not hit its successor.
 */
export type Link = number;

/** How a transport reports to the client core; the core supplies these. */
export interface TransportHooks {
  /** Where the user's stream resumes on the next socket (`?since=`); null means "from now". */
  since(): number | null;
  /** Every frame of the current link, `welcome` included, in arrival order. */
  frame(frame: ServerFrame, link: Link): void;
  /** The link's `welcome` is being accepted; runs before the state turns `open`,
   * so a listener of `open` already sees the features realigned. */
  welcome(frame: WelcomeFrame): void;
  /** One REST polling round while no socket works; resolves when it is done. */
  poll(): Promise<void>;
  state(state: ConnectionState): void;
  /** Errors the app should hear about (refused credentials, a terminal close). */
  error(error: Error): void;
  /**
   * Where the stream stands once every frame received so far is handled
   * (lastSeq, counts), as fields of a `welcome`. The leader tab answers a new
   * follower with its welcome patched by this, so the follower starts where
   * the leader is. Null while closed.
   */
  snapshot?(): Promise<Partial<WelcomeFrame> | null>;
}

/**
 * The seam between the client core and whatever carries frames:
 * `SocketTransport` holds a WebSocket itself; `SharedTransport` (tabs/)
 * holds one in the leader tab of an origin and relays it to the others.
 * The core, the frame router and the features do not change.
 */
export interface Transport {
  readonly state: ConnectionState;
  /** False while another tab holds the socket for this one. */
  readonly leading?: boolean;
  /** Starts connecting; a no-op unless closed. */
  start(): void;
  /** Stops until the next start(): no socket, no retry, no polling. */
  stop(): void;
  /** Sends on the current link; false while there is none. */
  send(frame: ClientFrame): boolean;
  /**
   * Called by the core, in queue order, with the `welcome` of `link`. False
   * when that link is already gone; otherwise calls `hooks.welcome` and
   * turns the state `open`.
   */
  accept(frame: WelcomeFrame, link: Link): boolean;
  /** A feature could not keep its stream gapless on `link`: drop that link and
   * reconnect, so the server's resume replays what is missing. */
  restart(link: Link): void;
}
