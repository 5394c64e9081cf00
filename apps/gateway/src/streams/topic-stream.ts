import { Inject, Injectable } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { namespaceOf, topicChannel, topicFromChannel, type TopicEvent } from '@herald/contracts';
import { TopicReader } from '@herald/database';
import { Metrics } from '@herald/observability';
import { TopicEventStream } from './topic-event-stream.js';

/**
 * A topic's own stream: its events by per-topic `seq`, on the channel
 * `herald:t:{topic}` (the topic is the hash tag: sharded pub/sub on a
 * cluster). Followed by the sockets that subscribed to the topic by name.
 */
@Injectable()
export class TopicStream extends TopicEventStream {
  constructor(
    @Inject(TopicReader) private readonly reader: Pick<TopicReader, 'after' | 'afterForTopics'>,
    @Inject(Metrics) metrics: Metrics,
    @Inject(HERALD_CONFIG) config: HeraldConfig,
  ) {
    super(config, metrics);
  }

  channel(topic: string): string {
    return topicChannel(topic, this.prefix);
  }

  keyOf(channel: string): string | null {
    return topicFromChannel(channel, this.prefix);
  }

  nameOf(topic: string): string {
    return topic;
  }

  protected namespaceOfKey(topic: string): string {
    return namespaceOf(topic);
  }

  protected positionOfEvent(event: TopicEvent): number | undefined {
    return event.seq ?? undefined;
  }

  protected keyOfEvent(event: TopicEvent): string {
    return event.topic;
  }

  protected read(topic: string, after: number, limit: number, below?: number): Promise<TopicEvent[]> {
    return this.reader.after(topic, after, limit, below);
  }

  protected readMany(positions: Map<string, number>, limit: number): Promise<TopicEvent[]> {
    return this.reader.afterForTopics(positions, limit);
  }
}
