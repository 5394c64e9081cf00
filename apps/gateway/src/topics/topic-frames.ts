import { ClientFrameType, FrameErrorCode, type TopicClientFrame, type TopicSubscription } from '@herald/contracts';

export type ParsedTopicFrame = { ok: true; frame: TopicClientFrame } | { ok: false; code: FrameErrorCode; message: string };

/** Most entries in one subscribe / unsubscribe frame (the frame size limit usually comes first). */
export const MAX_TOPICS_PER_FRAME = 100;
const SEQ = /^\d{1,15}$/;

const malformed = (message: string): ParsedTopicFrame => ({ ok: false, code: FrameErrorCode.MalformedFrame, message });

/**
 * The shape of a `subscribe` or `unsubscribe` frame; undefined for any other
 * type. Names are not judged here: each topic that breaks the rules gets its
 * own error frame later, and the others of the frame go through. A
 * subscribe entry is `{ name, since?, token? }`, or just the name.
 */
export function parseTopicFrame(frame: Record<string, unknown>): ParsedTopicFrame | undefined {
  if (frame.type !== ClientFrameType.Subscribe && frame.type !== ClientFrameType.Unsubscribe) return undefined;
  const { topics } = frame;
  if (!Array.isArray(topics) || topics.length === 0 || topics.length > MAX_TOPICS_PER_FRAME) {
    return malformed(`${frame.type} needs topics: an array of 1-${MAX_TOPICS_PER_FRAME}`);
  }
  if (frame.type === ClientFrameType.Unsubscribe) {
    if (!topics.every((t) => typeof t === 'string')) return malformed('unsubscribe topics must be names');
    return { ok: true, frame: { type: ClientFrameType.Unsubscribe, topics: topics as string[] } };
  }
  const entries: TopicSubscription[] = [];
  for (const t of topics) {
    const entry = subscription(t);
    if (!entry) return malformed('each subscribe topic is a name or { name, since?, token? } with since a whole number ≥ 0');
    entries.push(entry);
  }
  return { ok: true, frame: { type: ClientFrameType.Subscribe, topics: entries } };
}

function subscription(value: unknown): TopicSubscription | undefined {
  if (typeof value === 'string') return { name: value };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { name, since, token } = value as Record<string, unknown>;
  if (typeof name !== 'string') return undefined;
  if (since !== undefined && !(Number.isSafeInteger(since) && (since as number) >= 0)) return undefined;
  if (token !== undefined && (typeof token !== 'string' || token.length === 0)) return undefined;
  return { name, ...(since !== undefined ? { since: since as number } : {}), ...(token !== undefined ? { token: token as string } : {}) };
}

/**
 * `?topics=` on the handshake: `name[@since]`, comma separated (`@` is never
 * part of a name). Answers the subscriptions, or what is malformed (the
 * socket then closes with 1008, as for a malformed `since`).
 */
export function parseTopicsParam(raw: string): TopicSubscription[] | string {
  const parts = raw.split(',').filter(Boolean);
  if (parts.length === 0 || parts.length > MAX_TOPICS_PER_FRAME) return `topics must list 1-${MAX_TOPICS_PER_FRAME} names`;
  const subscriptions: TopicSubscription[] = [];
  for (const part of parts) {
    const at = part.indexOf('@');
    if (at < 0) {
      subscriptions.push({ name: part });
      continue;
    }
    const since = part.slice(at + 1);
    if (!SEQ.test(since)) return 'topics entries are name or name@seq';
    subscriptions.push({ name: part.slice(0, at), since: Number(since) });
  }
  return subscriptions;
}
