import { Inject, Injectable } from '@nestjs/common';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { namespaceChannel, namespaceFromChannel, namespaceOf, patternOf, type TopicEvent } from '@herald/contracts';
import { TopicReader } from '@herald/database';
import { Metrics } from '@herald/observability';
import { TopicEventStream } from './topic-event-stream.js';

/**
 * A namespace's own stream, for `ns:*` subscriptions: every event of every
 * topic in a namespace that allows patterns, by the namespace-wide `nsSeq`,
 * on the channel `herald:tn:{ns}`. One cursor covers the whole namespace, so
 * a pattern subscription resumes, fills gaps and resyncs like a topic.
 */
@Injectable()
export class TopicNamespaceStream extends TopicEventStream {
  constructor(
    @Inject(TopicReader) private readonly reader: Pick<TopicReader, 'afterInNamespace' | 'afterForNamespaces'>,
    @Inject(Metrics) metrics: Metrics,
    @Inject(HERALD_CONFIG) config: HeraldConfig,
  ) {
    super(config, metrics);
  }

  channel(namespace: string): string {
    return namespaceChannel(namespace, this.prefix);
  }

  keyOf(channel: string): string | null {
    return namespaceFromChannel(channel, this.prefix);
  }

  nameOf(namespace: string): string {
    return patternOf(namespace);
  }

  protected namespaceOfKey(namespace: string): string {
    return namespace;
  }

  protected positionOfEvent(event: TopicEvent): number | undefined {
    return event.nsSeq;
  }

  protected keyOfEvent(event: TopicEvent): string {
    return namespaceOf(event.topic);
  }

  protected read(namespace: string, after: number, limit: number, below?: number): Promise<TopicEvent[]> {
    return this.reader.afterInNamespace(namespace, after, limit, below);
  }

  protected readMany(positions: Map<string, number>, limit: number): Promise<TopicEvent[]> {
    return this.reader.afterForNamespaces(positions, limit);
  }
}
