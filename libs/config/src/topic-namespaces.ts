import { z } from 'zod';

/** What one namespace of topics may override; each field falls back to the defaults. */
export const namespaceOptionsSchema = z
  .object({
    /** Events kept per topic. @default HERALD_TOPIC_HISTORY_SIZE */
    historySize: z.number().int().min(1).optional(),
    /** Seconds an event is kept. @default HERALD_TOPIC_HISTORY_TTL_SECONDS */
    historyTtlSeconds: z.number().int().min(1).optional(),
    /** No rows and no seq: events reach the sockets connected now, at most once (telemetry). @default false */
    live: z.boolean().optional(),
    /** Allow `ns:*` subscriptions: each event is also published, with a namespace-wide seq, on the namespace's channel. @default false */
    patterns: z.boolean().optional(),
  })
  .strict();

export type NamespaceOptions = z.infer<typeof namespaceOptionsSchema>;

/** The namespace part of a topic name (no `:`), as HERALD_TOPIC_NAMESPACES keys must be. */
const NAMESPACE = /^[a-z0-9][a-z0-9._-]{0,125}$/;

/** HERALD_TOPIC_NAMESPACES: a JSON object from namespace to its options. */
export const topicNamespacesSchema = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (!raw) return {};
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object, e.g. {"telemetry":{"live":true}}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().regex(NAMESPACE, 'namespace names are [a-z0-9][a-z0-9._-]{0,125}'), namespaceOptionsSchema));

/** A namespace's options with every default applied. */
export interface TopicNamespace {
  historySize: number;
  historyTtlSeconds: number;
  live: boolean;
  patterns: boolean;
}

/** How topics are kept and limited (HeraldConfig.topics). */
export interface TopicsConfig {
  /** Events kept per topic unless its namespace says otherwise. */
  historySize: number;
  /** Seconds an event is kept unless its namespace says otherwise. */
  historyTtlSeconds: number;
  /** Per-namespace overrides, by namespace. */
  namespaces: Record<string, NamespaceOptions>;
  /** Topics (and patterns) one socket may follow. */
  maxPerSocket: number;
  /** subscribe / unsubscribe frames one socket may send per second. */
  subscribesPerSecond: number;
}

/** The options of `namespace`, defaults filled in. */
export function topicNamespace(topics: Pick<TopicsConfig, 'historySize' | 'historyTtlSeconds' | 'namespaces'>, namespace: string): TopicNamespace {
  const own = Object.hasOwn(topics.namespaces, namespace) ? topics.namespaces[namespace] : {};
  return {
    historySize: own.historySize ?? topics.historySize,
    historyTtlSeconds: own.historyTtlSeconds ?? topics.historyTtlSeconds,
    live: own.live ?? false,
    patterns: own.patterns ?? false,
  };
}
