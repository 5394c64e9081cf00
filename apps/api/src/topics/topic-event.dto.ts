import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { MAX_TOPIC_EVENTS_PER_BATCH, TOPIC_NAME_PATTERN } from '@herald/contracts';
import { MaxJsonBytes } from '../notifications/validators.js';

const EVENT_TYPE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** One event of a batch: the topic it goes to and its content. */
export class TopicEventItemDto {
  @ApiProperty({ pattern: TOPIC_NAME_PATTERN, example: 'jobs:42', description: 'A topic (not a pattern); the part before the first `:` is its namespace' })
  @IsString()
  @Matches(new RegExp(TOPIC_NAME_PATTERN), { message: `topic must match ${TOPIC_NAME_PATTERN}` })
  topic: string;

  @ApiProperty({ pattern: EVENT_TYPE.source, example: 'job.progress' })
  @IsString()
  @Matches(EVENT_TYPE, { message: `type must match ${EVENT_TYPE.source}` })
  type: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'At most 8 KiB serialized, nested at most 32 levels; no keys __proto__, constructor or prototype',
  })
  @IsOptional()
  @IsObject()
  @MaxJsonBytes(8 * 1024)
  data?: Record<string, unknown>;
}

/** Body of `POST /v1/topics/{topic}/events`: the topic is in the path. */
export class PublishTopicEventDto extends PickType(TopicEventItemDto, ['type', 'data'] as const) {}

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
