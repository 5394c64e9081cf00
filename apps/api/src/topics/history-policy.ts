import { topicNamespace, type TopicsConfig } from '@herald/config';
import type { HistoryPolicy } from '@herald/database';

/** What the retention run keeps of topic history: the defaults, and each namespace that overrides them. */
export function historyPolicy(topics: TopicsConfig): HistoryPolicy {
  return {
    size: topics.historySize,
    ttlSeconds: topics.historyTtlSeconds,
    namespaces: Object.keys(topics.namespaces).map((namespace) => {
      const { historySize, historyTtlSeconds } = topicNamespace(topics, namespace);
      return { namespace, size: historySize, ttlSeconds: historyTtlSeconds };
    }),
  };
}
