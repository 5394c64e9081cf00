import type { TopicEvent } from '@herald/contracts';
import type { RestClient } from '../rest-client.js';
import type { TopicSubscription } from './topic-subscription.js';

/** `GET /v1/topics/{topic}/events` answer. */
interface TopicEventsAnswer {
  items: TopicEvent[];
  nextCursor: string | null;
  lastSeq: number;
}

/** How a catch-up ended. */
export const CatchUp = {
  /** Everything up to the wanted position was delivered. */
  Complete: 'complete',
  /** The history has a hole where events were: they are lost; `lastSeq` says where the stream stands. */
  Lost: 'lost',
} as const;
export type CatchUpResult = { kind: typeof CatchUp.Complete } | { kind: typeof CatchUp.Lost; lastSeq: number };

const PAGE = 100;

/**
 * Pages a subscription's history over REST from its position, delivering
 * each event in order, up to `until` (or to the end): gap fill, resync and
 * the polling fallback. The REST history is the truth and has no holes
 * except where retention trimmed it, so a hole means events were lost.
 */
export async function catchUp(rest: RestClient, sub: TopicSubscription, until: number, active: () => boolean): Promise<CatchUpResult> {
  for (;;) {
    const from = sub.position ?? 0;
    const headers: Record<string, string> = sub.options.token ? { 'Herald-Topic-Token': await sub.options.token() } : {};
    const page = await rest.request<TopicEventsAnswer>('GET', `/v1/topics/${encodeURIComponent(sub.name)}/events`, { after: from, limit: PAGE }, headers);
    if (!active()) return { kind: CatchUp.Complete };
    if (sub.position === null) {
      sub.position = page.lastSeq; // never placed: start from now, as a subscribe would
      return { kind: CatchUp.Complete };
    }
    let expected = from + 1;
    for (const event of page.items) {
      const position = sub.positionOf(event);
      if (position === undefined || position < expected) continue;
      if (position > expected) return { kind: CatchUp.Lost, lastSeq: Math.max(page.lastSeq, until === Infinity ? 0 : until) };
      sub.deliver(event);
      expected++;
    }
    const reached = sub.position ?? 0;
    if (reached >= until) return { kind: CatchUp.Complete };
    if (page.items.length < PAGE || page.nextCursor === null) {
      // The end of the stored history: anything up to the stream's end (or `until`) that is not there is lost.
      const end = until === Infinity ? page.lastSeq : until;
      return reached < end ? { kind: CatchUp.Lost, lastSeq: Math.max(end, page.lastSeq) } : { kind: CatchUp.Complete };
    }
  }
}
