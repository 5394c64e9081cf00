import { ClientFrameType, isTopicPattern, namespaceOf, type TopicEvent, type TopicSubscription as SubscribeEntry } from '@herald/contracts';

/** Receives a topic's events, each once and in order (per subscription). */
export type TopicHandler = (event: TopicEvent) => void;

/** Options of `client.subscribe`. */
export interface SubscribeOptions {
  /**
   * Resume after this position: an event's `seq` saved earlier (its `nsSeq`
   * for an `ns:*` pattern). @default live from now
   */
  since?: number;
  /** A subscription token for this topic from your backend, when the user's own token does not grant it; called before each subscribe. */
  token?: () => string | Promise<string>;
  /**
   * The topic's history no longer holds events this client missed: reload
   * what you show from your source of truth; events go on after `lastSeq`.
   */
  onResync?: (lastSeq: number) => void;
}

/**
 * One topic (or `ns:*` pattern) the client follows: its handlers and the
 * last position it handed them. Positions are a topic's `seq`, or a
 * pattern's `nsSeq`; events of a live-only namespace have none.
 */
export class TopicSubscription {
  readonly pattern: boolean;
  readonly handlers = new Set<TopicHandler>();
  /** Last position delivered; null until the server (or `since`) says where the stream stands. */
  position: number | null;
  /** Its namespace is live-only: nothing stored, nothing to catch up on. */
  live = false;
  /** An `invalid_token` was retried once with a fresh token since the last accepted socket. */
  tokenRetried = false;

  constructor(
    readonly name: string,
    readonly options: SubscribeOptions,
  ) {
    this.pattern = isTopicPattern(name);
    this.position = options.since ?? null;
  }

  /** Whether `event` belongs to this subscription. */
  covers(event: TopicEvent): boolean {
    return this.pattern ? namespaceOf(event.topic) === namespaceOf(this.name) : event.topic === this.name;
  }

  /** The event's position in this subscription's stream; undefined for a live-only event. */
  positionOf(event: TopicEvent): number | undefined {
    return (this.pattern ? event.nsSeq : event.seq) ?? undefined;
  }

  deliver(event: TopicEvent): void {
    const position = this.positionOf(event);
    if (position !== undefined) this.position = position;
    for (const handler of this.handlers) handler(event);
  }

  /** Its entry of a `subscribe` frame: from where it stands, with a fresh token when it has a source of them. */
  async entry(): Promise<SubscribeEntry> {
    const entry: SubscribeEntry = { name: this.name };
    if (this.position !== null && !this.live) entry.since = this.position;
    if (this.options.token) entry.token = await this.options.token();
    return entry;
  }
}

/** Subscribe entries as frames that stay under the server's default 4 KiB frame limit. */
export function subscribeFrames(entries: SubscribeEntry[], maxChars = 3500) {
  const frames: { type: typeof ClientFrameType.Subscribe; topics: SubscribeEntry[] }[] = [];
  let size = 0;
  for (const entry of entries) {
    const cost = JSON.stringify(entry).length + 1;
    if (!frames.length || size + cost > maxChars || frames[frames.length - 1].topics.length >= 100) {
      frames.push({ type: ClientFrameType.Subscribe, topics: [] });
      size = 40;
    }
    frames[frames.length - 1].topics.push(entry);
    size += cost;
  }
  return frames;
}
