import type { TopicEvent } from '@herald/contracts';
import { isoTimestamp } from './notification-row.js';

/** Columns every topic event read selects, in the shape toTopicEvent maps. */
export const TOPIC_EVENT_COLUMNS = 'topic, seq, ns_seq, type, data, created_at';

export interface TopicEventRow {
  topic: string;
  seq: string | number;
  ns_seq: string | number | null;
  type: string;
  data: Record<string, unknown> | string | null;
  created_at: Date | string;
}

/** Maps a row to the wire object; bigints arrive as strings from pg. `nsSeq` only where the namespace has one. */
export function toTopicEvent(row: TopicEventRow): TopicEvent {
  const event: TopicEvent = {
    topic: row.topic,
    seq: Number(row.seq),
    type: row.type,
    data: typeof row.data === 'string' ? (JSON.parse(row.data) as Record<string, unknown>) : row.data,
    createdAt: isoTimestamp(row.created_at) as string,
  };
  if (row.ns_seq !== null) event.nsSeq = Number(row.ns_seq);
  return event;
}
