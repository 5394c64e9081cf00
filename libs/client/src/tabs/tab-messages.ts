import type { ClientFrame, ServerFrame } from '@herald/contracts';
import type { ConnectionState } from '../connection-state.js';

/**
 * What tabs of one origin and user say to each other on their
 * BroadcastChannel. `leader` names the tab holding the socket and `link`
 * that tab's socket attempt, so a follower can tell the frames of one
 * socket from its successor's, even across a change of leader.
 */
export type TabMessage =
  /** A frame of the leader's socket, `welcome` included, in arrival order;
   * with `to`, a welcome for one new follower only. */
  | { kind: 'frame'; leader: string; link: number; frame: ServerFrame; to?: string }
  /** The leader's state; `open` is implied by a welcome and not acted on. */
  | { kind: 'state'; leader: string; state: ConnectionState }
  /** The leader runs a polling round (its socket is down): followers run theirs. */
  | { kind: 'poll'; leader: string }
  /** A new follower asks the leader where the stream stands. */
  | { kind: 'hello'; from: string }
  /** A follower's frame for the socket (ack, state change, subscribe). */
  | { kind: 'send'; from: string; frame: ClientFrame }
  /** A follower could not keep its stream gapless on `link`: reconnect and resume. */
  | { kind: 'restart'; from: string; leader: string; link: number };

/** Messages from another SDK version or another library on the channel name are ignored. */
export function isTabMessage(value: unknown): value is TabMessage {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}

/**
 * The lock and channel name: per Herald socket URL and user, so two users
 * signed in on one origin never share a socket. Null when the token names
 * no user (an opaque token): such a tab keeps a socket of its own.
 */
export function tabGroupName(wsUrl: string, userId: string | null): string | null {
  return userId ? `herald:${wsUrl}:${userId}` : null;
}
