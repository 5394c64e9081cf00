import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { LabelBudget } from './label-budget.js';

/**
 * Herald's Prometheus metrics. One registry per application instance (not
 * prom-client's global one) so several apps can live in one test process.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly connections = new Gauge({ name: 'herald_gateway_connections', help: 'Open WebSocket connections on this gateway', registers: [this.registry] });
  readonly users = new Gauge({ name: 'herald_gateway_users', help: 'Distinct users connected to this gateway', registers: [this.registry] });
  readonly authFailures = new Counter({ name: 'herald_gateway_auth_failures_total', help: 'Handshakes refused, by reason', labelNames: ['reason'], registers: [this.registry] });
  readonly framesSent = new Counter({ name: 'herald_gateway_frames_sent_total', help: 'Frames written to sockets, by type', labelNames: ['type'], registers: [this.registry] });
  readonly closes = new Counter({ name: 'herald_gateway_closes_total', help: 'Sockets closed by the server, by close code', labelNames: ['code'], registers: [this.registry] });
  readonly resumes = new Counter({ name: 'herald_gateway_resumes_total', help: 'Handshakes with ?since=, by outcome', labelNames: ['outcome'], registers: [this.registry] });
  readonly gapFills = new Counter({ name: 'herald_gateway_gap_fills_total', help: 'Live seq jumps repaired from Postgres', registers: [this.registry] });
  readonly deliveryLatency = new Histogram({
    name: 'herald_delivery_latency_seconds',
    help: 'From commit (createdAt) to the socket write on the gateway',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly notificationsCreated = new Counter({ name: 'herald_api_notifications_created_total', help: 'Notification rows committed', registers: [this.registry] });
  readonly publishFailures = new Counter({ name: 'herald_api_publish_failures_total', help: 'Publishes to the bus that failed after commit', registers: [this.registry] });
  readonly publishRefusals = new Counter({
    name: 'herald_api_publish_refusals_total',
    help: 'Publish requests answered 503 before they were written: too many waiting for the database (full), or waited too long for a batch (expired)',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly topicEventsPublished = new Counter({ name: 'herald_api_topic_events_published_total', help: 'Topic events accepted (stored, or published live), by namespace', labelNames: ['namespace'], registers: [this.registry] });
  readonly topicSubscriptions = new Gauge({ name: 'herald_gateway_topic_subscriptions', help: 'Topic and pattern subscriptions of the sockets on this gateway, by namespace', labelNames: ['namespace'], registers: [this.registry] });
  readonly topicEventsDelivered = new Counter({ name: 'herald_gateway_topic_events_delivered_total', help: 'Topic events written to sockets, by namespace', labelNames: ['namespace'], registers: [this.registry] });
  /** The `namespace` label of the topic metrics: publishers pick namespaces, so their number is capped. */
  readonly namespaces = new LabelBudget(100);

  readonly queueDepth = new Gauge({ name: 'herald_worker_queue_depth', help: 'Jobs waiting per queue (and outbox rows not yet drained)', labelNames: ['queue'], registers: [this.registry] });
  readonly jobDuration = new Histogram({
    name: 'herald_worker_job_duration_seconds',
    help: 'Time a job handler ran, by queue and outcome',
    labelNames: ['queue', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
    registers: [this.registry],
  });
  readonly jobLatency = new Histogram({
    name: 'herald_worker_job_latency_seconds',
    help: 'From the change that asked for the job (commit) to the job finishing, by queue',
    labelNames: ['queue'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
    registers: [this.registry],
  });
  readonly jobFailures = new Counter({ name: 'herald_worker_job_failures_total', help: 'Failed job attempts, by queue and kind', labelNames: ['queue', 'kind'], registers: [this.registry] });

  constructor(collectDefaults = true) {
    if (collectDefaults) collectDefaultMetrics({ register: this.registry });
  }
}
