import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TOPIC_NAME_PATTERN } from '@herald/contracts';
import type * as contracts from '@herald/contracts';
import { MAX_SEQ } from '../inbox/notification-page.query.js';
import type { TopicEventsAnswer } from './topic-catch-up.service.js';

/** One entry of a publish answer (`PublishedTopicEvent`). */
export class PublishedTopicEvent implements contracts.PublishedTopicEvent {
  @ApiProperty({ pattern: TOPIC_NAME_PATTERN, example: 'jobs:42' })
  topic: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_SEQ, nullable: true, description: "The event's position in its topic; null in a live-only namespace (nothing stored)" })
  seq: number | null;
}

/** `POST /v1/topic-events` answer. */
export class PublishedTopicEvents {
  @ApiProperty({ type: [PublishedTopicEvent], description: 'One per event sent, in the order sent' })
  events: PublishedTopicEvent[];
}

/** One stored event of a topic (`TopicEvent`), as sockets and REST deliver it. */
export class TopicEvent implements contracts.TopicEvent {
  @ApiProperty({ pattern: TOPIC_NAME_PATTERN, example: 'jobs:42' })
  topic: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_SEQ, nullable: true, description: 'Per-topic position: starts at 1, no gaps' })
  seq: number | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_SEQ, description: "Position in the namespace's own stream, in a namespace that allows pattern subscriptions" })
  nsSeq?: number;

  @ApiProperty({ pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$', description: "The publisher's event type", example: 'progress' })
  type: string;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: "The publisher's data, as sent", example: { percent: 40 } })
  data: Record<string, unknown> | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

/** `GET /v1/topics/{topic}/events` answer: the contract's `TopicEventPage` and the stream's newest position. */
export class TopicEventPage implements contracts.TopicEventPage, TopicEventsAnswer {
  @ApiProperty({ type: [TopicEvent], maxItems: 100, description: 'Oldest first, above `after`' })
  items: TopicEvent[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    pattern: '^[0-9]+$',
    description: "The last item's position (seq, or nsSeq for a pattern), to pass as `after`; null when the page came back short",
  })
  nextCursor: string | null;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: MAX_SEQ,
    description: "The stream's newest position (0: nothing yet, or a live-only namespace). Above `after` with no items: the history no longer holds what was missed",
  })
  lastSeq: number;
}

/**
 * The controller answers the services' own types: `implements` above checks
 * one direction, this the other, so a field added on either side fails to compile.
 */
export const _answersMatchTheirClasses: [TopicEventsAnswer, contracts.PublishedTopicEvent, { events: contracts.PublishedTopicEvent[] }] extends [TopicEventPage, PublishedTopicEvent, PublishedTopicEvents]
  ? true
  : never = true;
