import { Inject, Injectable } from '@nestjs/common';
import { namespaceOf, ServerFrameType, type TopicEventFrame } from '@herald/contracts';
import { Metrics } from '@herald/observability';

/**
 * Counts topic events written to sockets (`frames_sent{type="topic.event"}`
 * and by namespace) and observes their commit → socket latency, at a cost
 * per write of one addition. One message goes to thousands of sockets in
 * one turn, all handed the same frame object: the writes of a message are
 * added up and booked once, when the next message starts or the turn ends,
 * with one latency observation (commit → the message's last write in that
 * turn). Booking each write cost ~0.8 µs, 5 % of a delivery.
 */
@Injectable()
export class TopicDeliveryMetrics {
  private frame: TopicEventFrame | undefined;
  private namespace = '';
  private createdAt = 0;
  private writes = 0;
  private scheduled = false;
  private readonly byNamespace = new Map<string, ReturnType<Metrics['topicEventsDelivered']['labels']>>();
  private readonly sent: ReturnType<Metrics['framesSent']['labels']>;

  constructor(@Inject(Metrics) private readonly metrics: Metrics) {
    this.sent = metrics.framesSent.labels(ServerFrameType.TopicEvent);
  }

  written(frame: TopicEventFrame): void {
    if (frame !== this.frame) {
      this.book();
      this.frame = frame;
      this.namespace = this.metrics.namespaces.label(namespaceOf(frame.event.topic));
      this.createdAt = Date.parse(frame.event.createdAt);
    }
    this.writes++;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.book();
      });
    }
  }

  /** Books the writes counted so far. */
  book(): void {
    if (this.writes === 0) return;
    let counter = this.byNamespace.get(this.namespace);
    if (!counter) this.byNamespace.set(this.namespace, (counter = this.metrics.topicEventsDelivered.labels(this.namespace)));
    counter.inc(this.writes);
    this.sent.inc(this.writes);
    this.metrics.deliveryLatency.observe((Date.now() - this.createdAt) / 1000);
    this.writes = 0;
  }
}
