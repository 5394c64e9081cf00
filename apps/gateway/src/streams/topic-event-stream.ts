import { topicNamespace, type HeraldConfig } from '@herald/config';
import { ServerFrameType, topicEventFrame, type ServerFrame, type TopicEvent } from '@herald/contracts';
import type { Metrics } from '@herald/observability';
import type { StreamKind } from './stream-kind.js';

/**
 * What the two kinds of topic stream share: their entries are `topic.event`
 * frames read from topic_events, a stream's history is its namespace's
 * (maxGap is the namespace's history size), and a hole in that history is an
 * event trimmed away, which the socket has lost. A live-only namespace's
 * events carry no position: they are not entries and go out as they come.
 */
export abstract class TopicEventStream implements StreamKind {
  readonly holesMeanLoss = true;
  protected readonly prefix: string;
  /** Gap fills in flight, by stream and range: every follower of a topic sees the same jump at once, and shares one read. */
  private readonly gaps = new Map<string, Promise<ServerFrame[]>>();

  protected constructor(
    private readonly config: HeraldConfig,
    private readonly metrics: Metrics,
  ) {
    this.prefix = config.redis.prefix;
  }

  abstract channel(key: string): string;
  abstract keyOf(channel: string): string | null;
  /** The namespace stream `key` belongs to. */
  protected abstract namespaceOfKey(key: string): string;
  /** An event's position in streams of this kind. */
  protected abstract positionOfEvent(event: TopicEvent): number | undefined;
  /** Events of stream `key` with after < position (< below), oldest first. */
  protected abstract read(key: string, after: number, limit: number, below?: number): Promise<TopicEvent[]>;
  /** Up to `limit` events above each stream's position, in one query. */
  protected abstract readMany(positions: Map<string, number>, limit: number): Promise<TopicEvent[]>;
  /** The name a client subscribed to stream `key` by: the topic, or the namespace's pattern. */
  abstract nameOf(key: string): string;

  maxGap(key: string): number {
    return topicNamespace(this.config.topics, this.namespaceOfKey(key)).historySize;
  }

  positionOf(frame: ServerFrame): number | undefined {
    return frame.type === ServerFrameType.TopicEvent ? this.positionOfEvent(frame.event) : undefined;
  }

  readGap(key: string, after: number, below: number): Promise<ServerFrame[]> {
    const id = `${key}\u0000${after}\u0000${below}`;
    let read = this.gaps.get(id);
    if (!read) {
      this.metrics.gapFills.inc();
      read = this.read(key, after, below - after - 1, below).then((events) => events.map(topicEventFrame));
      this.gaps.set(id, read);
      const forget = () => this.gaps.delete(id);
      read.then(forget, forget);
    }
    return read;
  }

  async readAfter(positions: Map<string, number>): Promise<Map<string, ServerFrame[]>> {
    // A live-only namespace stores nothing: there is nothing to read for its streams.
    const stored = new Map([...positions].filter(([key]) => !topicNamespace(this.config.topics, this.namespaceOfKey(key)).live));
    const byKey = new Map<string, ServerFrame[]>();
    if (stored.size === 0) return byKey;
    const limit = Math.max(...[...stored.keys()].map((key) => this.maxGap(key))) + 1;
    for (const event of await this.readMany(stored, limit)) {
      const key = this.keyOfEvent(event);
      let entries = byKey.get(key);
      if (!entries) byKey.set(key, (entries = []));
      entries.push(topicEventFrame(event));
    }
    return byKey;
  }

  resyncFrame(key: string, lastSeq: number): ServerFrame {
    return { type: ServerFrameType.TopicResyncRequired, topic: this.nameOf(key), lastSeq };
  }

  /** The stream of this kind an event belongs to. */
  protected abstract keyOfEvent(event: TopicEvent): string;
}
