import { Inject, Injectable } from '@nestjs/common';
import { topicNamespace, type TopicNamespace, type TopicsConfig } from '@herald/config';
import { grantCovers, isTopicName, isTopicPattern, namespaceOf } from '@herald/contracts';
import { TokenVerifier } from './token-verifier.js';
import { TopicForbiddenError, TopicNameError } from './topic-errors.js';

/** A topic or pattern someone asked for, checked against the naming rules and its namespace's options. */
export interface ResolvedTopic {
  /** As asked: `jobs:42`, or `inventory:*`. */
  name: string;
  /** `ns:*`: every topic of the namespace. */
  pattern: boolean;
  namespace: string;
  options: TopicNamespace;
}

/** Names `name` as a topic, or as a pattern when its namespace allows them; a TopicNameError otherwise. */
export function resolveTopic(name: unknown, topics: TopicsConfig): ResolvedTopic {
  const pattern = isTopicPattern(name);
  if (!pattern && !isTopicName(name)) throw new TopicNameError('must be [a-z0-9][a-z0-9._:-]{0,127}, or <namespace>:*');
  const namespace = namespaceOf(name);
  const options = topicNamespace(topics, namespace);
  if (pattern && !options.patterns) throw new TopicNameError(`namespace ${namespace} does not allow pattern subscriptions`);
  return { name, pattern, namespace, options };
}

/** Who asks: a user with the grants of their own token (its `topics` claim). */
export interface TopicRequester {
  sub: string;
  topics: readonly string[];
}

/**
 * Who may follow or read a topic: one rule for the socket's `subscribe` and
 * the REST catch-up. The user's own token grants it (a name in its `topics`
 * claim, or the namespace's `ns:*`), or a subscription token issued for this
 * user and this very name (checked by TokenVerifier, same keys).
 */
@Injectable()
export class TopicAuthorizer {
  constructor(@Inject(TokenVerifier) private readonly verifier: TokenVerifier) {}

  /** Resolves when allowed; rejects with TopicForbiddenError, or an AuthError for a subscription token that fails its checks. */
  async authorize(who: TopicRequester, topic: ResolvedTopic, token?: string): Promise<void> {
    if (who.topics.some((grant) => grantCovers(grant, topic.name))) return;
    if (token === undefined) throw new TopicForbiddenError();
    await this.verifier.verifySubscription(token, who.sub, topic.name);
  }
}
