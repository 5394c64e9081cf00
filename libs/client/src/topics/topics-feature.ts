import {
  ClientFrameType, FrameErrorCode, namespaceOf, patternOf, ServerFrameType, type ErrorFrame, type SubscribedFrame, type TopicEvent,
} from '@herald/contracts';
import type { Link } from '../connection/transport.js';
import type { ClientFeature, FeatureContext } from '../core/client-feature.js';
import { isNetworkError } from '../herald-errors.js';
import { catchUp, CatchUp } from './topic-catch-up.js';
import { subscribeFrames, TopicSubscription, type SubscribeOptions, type TopicHandler } from './topic-subscription.js';

/** Refusals worth another try a little later; the others drop the subscription. */
const RETRY_LATER: readonly string[] = [FrameErrorCode.RateLimited, FrameErrorCode.Unavailable];
const RETRY_MS = 1000;

/**
 * Topics: `client.subscribe(topic, handler, options)`. Each subscription
 * gets its events once and in order across reconnects: every accepted
 * socket (the first, or one after a drop or a drain) subscribes again from
 * each subscription's last position, and the server replays what was
 * missed; a gap or a resync signal is filled over REST, and when the
 * history no longer holds it, `onResync` tells the app to reload. The
 * polling fallback pages the same REST route.
 */
export class TopicsFeature implements ClientFeature {
  private readonly subs = new Map<string, TopicSubscription>();
  /** Counts accepted sockets, so subscribes prepared for an older one (tokens fetched meanwhile) are dropped. */
  private generation = 0;

  constructor(private readonly context: FeatureContext) {
    context.router
      .on(ServerFrameType.Subscribed, (frame) => this.subscribed(frame))
      .on(ServerFrameType.Unsubscribed, () => undefined)
      .on(ServerFrameType.TopicEvent, (frame, link) => this.event(frame.event, link))
      .on(ServerFrameType.TopicResyncRequired, (frame, link) => this.resync(frame.topic, frame.lastSeq, link));
  }

  /** Follows `name` (a topic or `ns:*`); returns the function that stops this handler. */
  subscribe(name: string, handler: TopicHandler, options: SubscribeOptions = {}): () => void {
    let sub = this.subs.get(name);
    if (!sub) {
      this.subs.set(name, (sub = new TopicSubscription(name, options)));
      void this.send([sub], this.generation);
    }
    sub.handlers.add(handler);
    const mine = sub;
    return () => {
      mine.handlers.delete(handler);
      if (mine.handlers.size > 0 || this.subs.get(name) !== mine) return;
      this.subs.delete(name);
      this.context.send({ type: ClientFrameType.Unsubscribe, topics: [name] });
    };
  }

  /** The last position delivered for `name` (seq, or nsSeq for a pattern): save it and pass it back as `since`. */
  position(name: string): number | null {
    return this.subs.get(name)?.position ?? null;
  }

  welcome(): void {
    const generation = ++this.generation;
    for (const sub of this.subs.values()) sub.tokenRetried = false;
    void this.send([...this.subs.values()], generation);
  }

  async poll(): Promise<void> {
    for (const sub of [...this.subs.values()]) {
      if (sub.live || this.subs.get(sub.name) !== sub) continue;
      try {
        await this.catchUp(sub, Infinity);
      } catch (error) {
        // The network being down is why we poll; only report real answers.
        if (!isNetworkError(error)) this.context.queue.fail(error);
      }
    }
  }

  refused(frame: ErrorFrame): void {
    const sub = frame.topic === undefined ? undefined : this.subs.get(frame.topic);
    if (!sub) return;
    if (RETRY_LATER.includes(frame.code)) {
      this.context.options.timers.setTimeout(() => void this.send([sub], this.generation), RETRY_MS);
    } else if (frame.code === FrameErrorCode.InvalidToken && sub.options.token && !sub.tokenRetried) {
      sub.tokenRetried = true; // the token may just have expired: one more try with a fresh one
      void this.send([sub], this.generation);
    } else {
      this.subs.delete(sub.name); // forbidden, malformed, over the limit: sending it again cannot help
    }
  }

  private async send(subs: TopicSubscription[], generation: number): Promise<void> {
    if (subs.length === 0) return;
    try {
      const entries = await Promise.all(subs.map((sub) => sub.entry()));
      if (generation !== this.generation) return; // a newer socket subscribes everything itself
      for (const frame of subscribeFrames(entries)) this.context.send(frame);
    } catch (error) {
      this.context.queue.fail(error); // a token source that threw
    }
  }

  private subscribed(frame: SubscribedFrame): void {
    const sub = this.subs.get(frame.topic);
    if (!sub) return;
    sub.live = frame.lastSeq === null;
    if (sub.position === null && frame.lastSeq !== null) sub.position = frame.lastSeq;
  }

  /** An event reaches its topic's subscription and its namespace's pattern subscription, each once. */
  private async event(event: TopicEvent, link: Link): Promise<void> {
    for (const sub of [this.subs.get(event.topic), this.subs.get(patternOf(namespaceOf(event.topic)))]) {
      if (!sub || !sub.covers(event)) continue;
      const position = sub.positionOf(event);
      if (position === undefined || sub.position === null || position === sub.position + 1) {
        sub.deliver(event);
        continue;
      }
      if (position <= sub.position) continue; // a duplicate
      // A gap (the server fills them, so rarely): fetch what lies between first.
      if (!(await this.fill(sub, position - 1, link))) return;
      if (position > (sub.position ?? 0)) sub.deliver(event);
    }
  }

  /** `topic.resync_required`: page up to `lastSeq`; what the history no longer holds is the app's to reload. */
  private async resync(name: string, lastSeq: number, link: Link): Promise<void> {
    const sub = this.subs.get(name);
    if (!sub) return;
    if (sub.position !== null && sub.position > lastSeq) return this.lost(sub, lastSeq); // the server's history was reset
    await this.fill(sub, lastSeq, link);
  }

  /** Catches `sub` up to `until`; false when the fetch failed (the socket is dropped, and the resume replays). */
  private async fill(sub: TopicSubscription, until: number, link: Link): Promise<boolean> {
    try {
      await this.catchUp(sub, until);
      return true;
    } catch (error) {
      this.context.queue.fail(error);
      this.context.restart(link);
      return false;
    }
  }

  private async catchUp(sub: TopicSubscription, until: number): Promise<void> {
    const result = await catchUp(this.context.rest, sub, until, () => this.context.queue.active && this.subs.get(sub.name) === sub);
    if (result.kind === CatchUp.Lost) this.lost(sub, result.lastSeq);
  }

  private lost(sub: TopicSubscription, lastSeq: number): void {
    sub.position = lastSeq;
    sub.options.onResync?.(lastSeq);
  }
}
