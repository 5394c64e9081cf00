import { Inject, Injectable, Logger } from '@nestjs/common';
import { Metrics } from '@herald/observability';
import { JobQueue } from './job-queue.js';

/** How often queue depth is read for /metrics. */
const INTERVAL_MS = 5000;

/** Keeps herald_worker_queue_depth current (one small query per queue every 5 s). */
@Injectable()
export class QueueMetrics {
  private readonly logger = new Logger(QueueMetrics.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(JobQueue) private readonly queue: JobQueue,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  start(): void {
    const read = () =>
      this.queue
        .depth()
        .then((depths) => Object.entries(depths).forEach(([queue, n]) => this.metrics.queueDepth.set({ queue }, n)))
        .catch((err: Error) => this.logger.debug(`queue depth: ${err.message}`));
    void read();
    this.timer = setInterval(read, INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
