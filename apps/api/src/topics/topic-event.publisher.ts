import { Inject, Injectable, Logger } from '@nestjs/common';
import { Bus, type BusMessage } from '@herald/bus';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import { namespaceChannel, namespaceOf, topicChannel, topicEventFrame, type TopicEvent } from '@herald/contracts';
import { Metrics } from '@herald/observability';

/** An event to push, and whether its namespace also has a channel of its own (pattern subscriptions). */
export interface EventToPush {
  event: TopicEvent;
  patterns: boolean;
}

/**
 * Pushes topic events to the gateways after commit: one PUBLISH per event on
 * its topic's channel, however many sockets follow it (a second on the
 * namespace's channel where the namespace allows `ns:*`), the frame
 * serialised once. A call's messages keep their order on the one publisher
 * connection, and calls go out in the order their batches completed: a
 * topic's seqs arrive in order unless two batches holding it completed the
 * other way round from their commits, a jump the gateways fill from
 * Postgres. A failed publish is logged and counted; the caller decides
 * what it means (nothing for stored events: the rows are the truth).
 */
@Injectable()
export class TopicEventPublisher {
  private readonly logger = new Logger(TopicEventPublisher.name);

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  /** True when the broker took every message. */
  async publish(events: EventToPush[]): Promise<boolean> {
    if (events.length === 0) return true;
    const prefix = this.config.redis.prefix;
    const messages: BusMessage[] = [];
    for (const { event, patterns } of events) {
      const payload = JSON.stringify(topicEventFrame(event));
      messages.push({ channel: topicChannel(event.topic, prefix), payload });
      if (patterns) messages.push({ channel: namespaceChannel(namespaceOf(event.topic), prefix), payload });
    }
    try {
      await this.bus.publish(messages);
      return true;
    } catch (err) {
      this.metrics.publishFailures.inc(messages.length);
      this.logger.warn(`publish of ${messages.length} topic message(s) failed: ${(err as Error).message}`);
      return false;
    }
  }
}
