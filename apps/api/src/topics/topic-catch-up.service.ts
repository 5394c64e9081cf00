import { Inject, Injectable } from '@nestjs/common';
import { AuthError, resolveTopic, TopicAuthorizer, TopicForbiddenError, type Principal } from '@herald/auth';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import type { TopicEvent } from '@herald/contracts';
import { TopicReader } from '@herald/database';
import type { ListTopicEventsQuery } from './list-topic-events.query.js';

/** `GET /v1/topics/{topic}/events` answer: a page, and where the stream stands now. */
export interface TopicEventsAnswer {
  items: TopicEvent[];
  nextCursor: string | null;
  /** The stream's newest position: above `after` with no items means the history no longer holds what was missed. */
  lastSeq: number;
}

const DEFAULT_LIMIT = 100;

/**
 * Catch-up and the polling fallback for topics, authorised as a socket's
 * subscribe is: the user's own `topics` claim, or a subscription token for
 * this topic (header `Herald-Topic-Token`). A pattern pages its namespace by
 * nsSeq; a live-only namespace has nothing stored.
 */
@Injectable()
export class TopicCatchUpService {
  constructor(
    @Inject(TopicReader) private readonly reader: TopicReader,
    @Inject(TopicAuthorizer) private readonly authorizer: TopicAuthorizer,
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
  ) {}

  async list(principal: Principal, name: string, q: ListTopicEventsQuery, token?: string): Promise<TopicEventsAnswer> {
    const topic = resolveTopic(name, this.config.topics);
    try {
      await this.authorizer.authorize(principal, topic, token);
    } catch (err) {
      // The user's own credentials are fine: a refused topic token is a 403, not a 401 that would send them to sign in again.
      throw err instanceof AuthError ? new TopicForbiddenError('the topic token is invalid or expired') : err;
    }
    if (topic.options.live) return { items: [], nextCursor: null, lastSeq: 0 };
    const after = q.after ?? 0;
    const limit = q.limit ?? DEFAULT_LIMIT;
    const key = topic.pattern ? topic.namespace : topic.name;
    // The state first: an event committed between the two reads shows up in the items, never goes missing.
    const state = (await (topic.pattern ? this.reader.namespaceStates([key]) : this.reader.topicStates([key]))).get(key);
    const items = topic.pattern ? await this.reader.afterInNamespace(key, after, limit) : await this.reader.after(key, after, limit);
    const last = items.at(-1);
    const position = last && (topic.pattern ? last.nsSeq : last.seq);
    return { items, nextCursor: items.length === limit && position != null ? String(position) : null, lastSeq: state?.lastSeq ?? 0 };
  }
}
