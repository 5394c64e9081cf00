import type { ServerFrame } from '@herald/contracts';

/**
 * A kind of ordered stream a socket can follow: a user's inbox today, named
 * topics next. Each stream of a kind is named by a key (a user id, a topic)
 * and has its own gapless positions, its own Redis channel, and its history
 * in Postgres. Its entries travel as frames; frames on its channel that are
 * not entries (an `unread` count, say) are sent as they come, in order.
 *
 * What a kind defines is what the gateway cannot know on its own; cursors,
 * duplicates, gap fill, replay and the resync rule live in ClientSession,
 * subscription counting in ChannelSubscriptions, fan-out in FanoutService.
 * Topics are two more: TopicStream (a topic's own seq) and
 * TopicNamespaceStream (a namespace's seq, for `ns:*` subscriptions).
 */
export interface StreamKind {
  /** The Redis channel carrying the live entries of stream `key`. */
  channel(key: string): string;
  /** The inverse of channel: the key of the stream `channel` carries, or null for a channel of another kind. */
  keyOf(channel: string): string | null;
  /** Most entries a socket may have missed of stream `key` and still be replayed; past it the socket is told to resync. */
  maxGap(key: string): number;
  /**
   * A position missing from history means the socket lost that entry (a
   * topic's history is trimmed from its oldest end), so a replay or gap fill
   * with a hole is answered with the resync frame. False where holes are
   * entries deleted on purpose (a user's deleted notifications).
   */
  readonly holesMeanLoss: boolean;
  /** An entry's position in its stream, or undefined for a frame that is not an entry. */
  positionOf(frame: ServerFrame): number | undefined;
  /** Entries with after < position < below, oldest first (a gap fill). */
  readGap(key: string, after: number, below: number): Promise<ServerFrame[]>;
  /**
   * Up to maxGap(key) + 1 entries above each stream's position, oldest first, for
   * many streams of this kind in one read (re-sync after a bus outage).
   * Streams with nothing above their position may be missing from the answer.
   */
  readAfter(positions: Map<string, number>): Promise<Map<string, ServerFrame[]>>;
  /** Tells a socket it missed more than maxGap entries of stream `key`, whose newest is `lastSeq`. */
  resyncFrame(key: string, lastSeq: number): ServerFrame;
}

/** One stream: a kind and a key. The channel a pod follows is one (see ChannelRegistry). */
export interface Stream {
  readonly kind: StreamKind;
  readonly key: string;
}
