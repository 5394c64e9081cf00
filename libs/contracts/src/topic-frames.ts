import type { TopicEvent } from './topics.js';

/** Server → client frame types of topics (part of ServerFrameType). */
export const TopicServerFrameType = {
  Subscribed: 'subscribed',
  Unsubscribed: 'unsubscribed',
  TopicEvent: 'topic.event',
  TopicResyncRequired: 'topic.resync_required',
} as const;

/** Client → server frame types of topics (part of ClientFrameType). */
export const TopicClientFrameType = {
  Subscribe: 'subscribe',
  Unsubscribe: 'unsubscribe',
} as const;

/** A subscribe was accepted; `lastSeq` is the stream's newest position (null: live-only, nothing stored). */
export interface SubscribedFrame {
  type: typeof TopicServerFrameType.Subscribed;
  /** The name as subscribed: a topic, or an `ns:*` pattern. */
  topic: string;
  lastSeq: number | null;
}
export interface UnsubscribedFrame {
  type: typeof TopicServerFrameType.Unsubscribed;
  topic: string;
}
export interface TopicEventFrame {
  type: typeof TopicServerFrameType.TopicEvent;
  event: TopicEvent;
}
/** More was missed on `topic` than its history holds: reload, then go on from `lastSeq`. */
export interface TopicResyncRequiredFrame {
  type: typeof TopicServerFrameType.TopicResyncRequired;
  topic: string;
  lastSeq: number;
}
export type TopicServerFrame = SubscribedFrame | UnsubscribedFrame | TopicEventFrame | TopicResyncRequiredFrame;

/** One topic of a `subscribe` frame. */
export interface TopicSubscription {
  /** A topic, or `ns:*` for every topic of a namespace that allows it. */
  name: string;
  /** Last position the client holds: events after it are replayed. Absent: live from now. */
  since?: number;
  /** A subscription token for this topic, when the user's own token does not grant it. */
  token?: string;
}
export interface SubscribeFrame {
  type: typeof TopicClientFrameType.Subscribe;
  topics: TopicSubscription[];
}
export interface UnsubscribeFrame {
  type: typeof TopicClientFrameType.Unsubscribe;
  topics: string[];
}
export type TopicClientFrame = SubscribeFrame | UnsubscribeFrame;

/** The frame a stored or new topic event travels in, live and on replay alike. */
export function topicEventFrame(event: TopicEvent): TopicEventFrame {
  return { type: TopicServerFrameType.TopicEvent, event };
}
