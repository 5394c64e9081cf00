import { topicEventFrame } from '@herald/contracts';
import { Metrics } from '@herald/observability';
import { TopicDeliveryMetrics } from './topic-delivery-metrics.js';

const frame = (topic: string) => topicEventFrame({ topic, seq: 1, type: 't', data: null, createdAt: new Date(Date.now() - 20).toISOString() });
const value = async (metric: { get(): Promise<{ values: { labels: Record<string, unknown>; value: number }[] }> }, label: string, name: string) =>
  (await metric.get()).values.find((v) => v.labels[label] === name)?.value ?? 0;

describe('TopicDeliveryMetrics', () => {
  it('books the writes of each message once, by namespace, with one latency observation per message', async () => {
    const metrics = new Metrics(false);
    const sut = new TopicDeliveryMetrics(metrics);
    const [jobs, inv] = [frame('jobs:1'), frame('inv:a')];

    for (let i = 0; i < 3; i++) sut.written(jobs);
    sut.written(inv);
    sut.written(inv);
    await new Promise((r) => setImmediate(r));

    expect(await value(metrics.topicEventsDelivered, 'namespace', 'jobs')).toBe(3);
    expect(await value(metrics.topicEventsDelivered, 'namespace', 'inv')).toBe(2);
    expect(await value(metrics.framesSent, 'type', 'topic.event')).toBe(5);
    const latency = (await metrics.deliveryLatency.get()).values.find((v) => v.metricName === 'herald_delivery_latency_seconds_count');
    expect(latency?.value).toBe(2);
  });
});
