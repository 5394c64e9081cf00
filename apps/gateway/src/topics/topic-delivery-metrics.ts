import { Inject, Injectable } from '@nestjs/common';
import { namespaceOf, type TopicEventFrame } from '@herald/contracts';
import { Metrics } from '@herald/observability';

/**
 * Counts topic events written to sockets, by namespace, and their commit →
 * socket latency. Called once per socket write, so the per-message work (the
 * namespace's counter, parsing createdAt) is done once per message: every
 * socket of a message is handed the same frame object.
 */
@Injectable()
export class TopicDeliveryMetrics {
  private frame: TopicEventFrame | undefined;
  private counter: ReturnType<Metrics['topicEventsDelivered']['labels']> | undefined;
  private createdAt = 0;

  constructor(@Inject(Metrics) private readonly metrics: Metrics) {}

  written(frame: TopicEventFrame): void {
    if (frame !== this.frame) {
      this.frame = frame;
      this.counter = this.metrics.topicEventsDelivered.labels(this.metrics.namespaces.label(namespaceOf(frame.event.topic)));
      this.createdAt = Date.parse(frame.event.createdAt);
    }
    this.counter?.inc();
    this.metrics.deliveryLatency.observe((Date.now() - this.createdAt) / 1000);
  }
}
