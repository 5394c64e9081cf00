/**
 * Topics: named streams any number of sockets follow. A name is
 * `[a-z0-9][a-z0-9._:-]{0,127}`; the part before the first `:` is its
 * namespace (`jobs`, `inventory` for `inventory:vm-42`), which carries the
 * history bound and the options. `ns:*` names every topic of namespace `ns`
 * (`ns` itself and `ns:…`): a pattern subscription, or a grant in a token.
 */
export const TOPIC_NAME_PATTERN = '^[a-z0-9][a-z0-9._:-]{0,127}$';
const TOPIC_NAME = new RegExp(TOPIC_NAME_PATTERN);
const PATTERN = /^([a-z0-9][a-z0-9._-]{0,125}):\*$/;

/** Most events in one batch publish (`POST /v1/topic-events`). */
export const MAX_TOPIC_EVENTS_PER_BATCH = 100;

/** A plain topic name (no pattern). */
export function isTopicName(name: unknown): name is string {
  return typeof name === 'string' && TOPIC_NAME.test(name);
}

/** `ns:*`: every topic of namespace `ns`. */
export function isTopicPattern(name: unknown): name is string {
  return typeof name === 'string' && PATTERN.test(name);
}

/** The namespace of a topic or of a pattern: what comes before the first `:`. */
export function namespaceOf(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(0, colon);
}

/** The pattern naming every topic of `namespace`. */
export function patternOf(namespace: string): string {
  return `${namespace}:*`;
}

/** Whether grant `grant` (a name or an `ns:*` pattern) covers `name` (a name or a pattern). */
export function grantCovers(grant: string, name: string): boolean {
  if (grant === name) return true;
  return isTopicPattern(grant) && namespaceOf(grant) === namespaceOf(name);
}

/** One event of a topic, as sockets and REST deliver it. */
export interface TopicEvent {
  topic: string;
  /** Per-topic position: starts at 1, no gaps. Null in a live-only namespace (nothing stored). */
  seq: number | null;
  /** Position in the namespace's own stream, in a namespace that allows pattern subscriptions. */
  nsSeq?: number;
  /** The publisher's event type, `^[a-z0-9][a-z0-9_.-]{0,63}$`. */
  type: string;
  data: Record<string, unknown> | null;
  createdAt: string;
}

/** One entry of a publish answer. */
export interface PublishedTopicEvent {
  topic: string;
  /** Null in a live-only namespace. */
  seq: number | null;
}

/** `GET /v1/topics/{topic}/events` answer: oldest first above `after`. */
export interface TopicEventPage {
  items: TopicEvent[];
  /** The last item's position (seq, or nsSeq for a pattern) as a string; null when the page came back short. */
  nextCursor: string | null;
}
