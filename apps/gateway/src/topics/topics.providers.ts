import { TopicNamespaceStream } from '../streams/topic-namespace-stream.js';
import { TopicStream } from '../streams/topic-stream.js';
import { TopicDeliveryMetrics } from './topic-delivery-metrics.js';
import { TopicSubscriptions } from './topic-subscriptions.service.js';

/** The topics feature of the gateway: its two stream kinds and the subscriptions of sockets to them. */
export const TOPIC_PROVIDERS = [TopicStream, TopicNamespaceStream, TopicSubscriptions, TopicDeliveryMetrics];
