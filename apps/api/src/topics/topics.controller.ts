import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, RequireScopes, type Principal } from '@herald/auth';
import { LimitName } from '@herald/bus';
import { Scope, type PublishedTopicEvent } from '@herald/contracts';
import { ValidationError } from '@herald/errors';
import { PublishRateLimitGuard } from '../rate-limit/publish-rate-limit.guard.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { ListTopicEventsQuery } from './list-topic-events.query.js';
import { TopicCatchUpService, type TopicEventsAnswer } from './topic-catch-up.service.js';
import { PublishTopicEventDto, PublishTopicEventsDto } from './topic-event.dto.js';
import { TOPIC_NAME_PARAM, TOPIC_OR_PATTERN_PARAM } from './topic-params.js';
import { PublishedTopicEvents, PublishedTopicEvent as PublishedTopicEventSchema, TopicEventPage } from './topic.responses.js';
import { TopicPublishService, type TopicPublishResult } from './topic-publish.service.js';

const IDEMPOTENCY_KEY = { name: 'Idempotency-Key', required: false, description: 'Replays within 24 h return the first answer (not for requests made only of live-only events)' };

/**
 * Topic events: services publish them (the publish budget, as notifications),
 * users catch up on the topics granted to them (the inbox budget).
 */
@ApiTags('topics')
@ApiBearerAuth()
@Controller('v1')
export class TopicsController {
  constructor(
    @Inject(TopicPublishService) private readonly publisher: TopicPublishService,
    @Inject(TopicCatchUpService) private readonly catchUp: TopicCatchUpService,
  ) {}

  @Post('topics/:topic/events')
  @HttpCode(201)
  @RequireScopes(Scope.TopicsPublish)
  @UseGuards(PublishRateLimitGuard)
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiParam(TOPIC_NAME_PARAM)
  @ApiCreatedResponse({ type: PublishedTopicEventSchema, description: 'Stored (unless live-only) and published to its subscribers' })
  async publishOne(
    @CurrentPrincipal() principal: Principal,
    @Param('topic') topic: string,
    @Body() body: PublishTopicEventDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<PublishedTopicEvent> {
    const result = await this.publisher.publish(principal.sub, [{ topic, ...body }], checkKey(key));
    return answered(result, res).events[0];
  }

  @Post('topic-events')
  @HttpCode(201)
  @RequireScopes(Scope.TopicsPublish)
  @UseGuards(PublishRateLimitGuard)
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiCreatedResponse({ type: PublishedTopicEvents, description: 'Every event stored (unless live-only) and published; one entry per event, in the order sent' })
  async publishMany(
    @CurrentPrincipal() principal: Principal,
    @Body() body: PublishTopicEventsDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<{ events: PublishedTopicEvent[] }> {
    return answered(await this.publisher.publish(principal.sub, body.events, checkKey(key)), res);
  }

  @Get('topics/:topic/events')
  @RateLimit(LimitName.Inbox)
  @ApiHeader({ name: 'Herald-Topic-Token', required: false, description: "A subscription token for this topic, when the user's own token does not grant it" })
  @ApiParam(TOPIC_OR_PATTERN_PARAM)
  @ApiOkResponse({ type: TopicEventPage, description: 'Events above `after`, oldest first' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('topic') topic: string,
    @Query() query: ListTopicEventsQuery,
    @Headers('herald-topic-token') token: string | undefined,
  ): Promise<TopicEventsAnswer> {
    return this.catchUp.list(principal, topic, query, token || undefined);
  }
}

function checkKey(key: string | undefined): string | undefined {
  if (key !== undefined && (key.length < 1 || key.length > 255)) throw ValidationError.field('Idempotency-Key', 'must be 1-255 characters');
  return key;
}

function answered(result: TopicPublishResult, res: FastifyReply): TopicPublishResult['body'] {
  if (result.replayed) res.header('Idempotent-Replayed', 'true');
  return result.body;
}
