import { ApiProperty, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches, ValidateNested } from 'class-validator';
import { MAX_TOPIC_EVENTS_PER_BATCH, TOPIC_NAME_PATTERN } from '@herald/contracts';
import { PublishNotificationDto } from '../notifications/publish-notification.dto.js';

/**
 * Body of `POST /v1/topics/{topic}/events` (the topic is in the path): a
 * notification's `type` and `data`, with the same rules.
 */
export class PublishTopicEventDto extends PickType(PublishNotificationDto, ['type', 'data'] as const) {}

/** One event of a batch: the topic it goes to and its content. */
export class TopicEventItemDto extends PublishTopicEventDto {
  @ApiProperty({ pattern: TOPIC_NAME_PATTERN, example: 'jobs:42', description: 'A topic (not a pattern); the part before the first `:` is its namespace' })
  @IsString()
  @Matches(new RegExp(TOPIC_NAME_PATTERN), { message: `topic must match ${TOPIC_NAME_PATTERN}` })
  topic: string;
}

/** Body of `POST /v1/topic-events`: several events, to one topic or several, in one call. */
export class PublishTopicEventsDto {
  @ApiProperty({ type: [TopicEventItemDto], minItems: 1, maxItems: MAX_TOPIC_EVENTS_PER_BATCH })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TOPIC_EVENTS_PER_BATCH)
  @ValidateNested({ each: true })
  @Type(() => TopicEventItemDto)
  events: TopicEventItemDto[];
}
