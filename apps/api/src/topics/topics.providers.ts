import { TopicBatchWriter } from './topic-batch-writer.js';
import { TopicCatchUpService } from './topic-catch-up.service.js';
import { TopicEventPublisher } from './topic-event.publisher.js';
import { TopicPublishService } from './topic-publish.service.js';
import { TopicsController } from './topics.controller.js';

/** The topics feature of the api, joined to ApiModule in one line each (it shares the publish rate limiter). */
export const TOPIC_CONTROLLERS = [TopicsController];
export const TOPIC_PROVIDERS = [TopicPublishService, TopicBatchWriter, TopicEventPublisher, TopicCatchUpService];
