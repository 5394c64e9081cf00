import { Inject, Injectable, Logger } from '@nestjs/common';
import { resolveTopic, TopicAuthorizer, type ResolvedTopic } from '@herald/auth';
import { HERALD_CONFIG, type HeraldConfig } from '@herald/config';
import {
  ClientFrameType, FrameErrorCode, namespaceOf, ServerFrameType, type ErrorFrame, type TopicClientFrame, type TopicSubscription,
} from '@herald/contracts';
import { TopicReader } from '@herald/database';
import { Metrics } from '@herald/observability';
import type { ClientSession } from '../connection/client-session.js';
import { FrameRateLimiter } from '../connection/inbound-frames.js';
import { ChannelRegistry, type Channel } from '../fanout/channel-registry.js';
import { ChannelSubscriptions } from '../fanout/channel-subscriptions.js';
import type { Stream } from '../streams/stream-kind.js';
import type { TopicEventStream } from '../streams/topic-event-stream.js';
import { TopicNamespaceStream } from '../streams/topic-namespace-stream.js';
import { TopicStream } from '../streams/topic-stream.js';
import { isServerSide, refusal, refusalFor } from './topic-refusals.js';
import { TopicReads, type StreamOrder, type TopicRead } from './topic-reads.js';

/** A subscribe entry that passed its checks: the stream it names. */
interface Wanted {
  topic: ResolvedTopic;
  name: string;
  since?: number;
  kind: TopicEventStream;
  order: StreamOrder;
  key: string;
  live: boolean;
}

/**
 * A socket's topics: `subscribe` and `unsubscribe` (frames, or `?topics=` on
 * the handshake) and the release of everything it follows when it closes.
 * A subscribe runs in the socket's ordered queue, as a resume does: check
 * name and grant, join the stream's channel and subscribe it (reference
 * counted, shared by every socket here), read the stream's state and the
 * events above `since`, answer `subscribed`, replay, and only then release
 * the live frames that queued up meanwhile, above what was replayed. A
 * refused topic gets an `error` frame naming it; the others go through and
 * the socket stays.
 */
@Injectable()
export class TopicSubscriptions {
  private readonly logger = new Logger(TopicSubscriptions.name);
  private readonly grants = new WeakMap<ClientSession, readonly string[]>();
  private readonly limiters = new WeakMap<ClientSession, FrameRateLimiter>();
  private readonly reads: TopicReads;

  constructor(
    @Inject(HERALD_CONFIG) private readonly config: HeraldConfig,
    @Inject(TopicAuthorizer) private readonly authorizer: TopicAuthorizer,
    @Inject(ChannelRegistry) private readonly channels: ChannelRegistry,
    @Inject(ChannelSubscriptions) private readonly subscriptions: ChannelSubscriptions,
    @Inject(TopicStream) private readonly topics: TopicStream,
    @Inject(TopicNamespaceStream) private readonly namespaces: TopicNamespaceStream,
    @Inject(TopicReader) reader: TopicReader,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {
    this.reads = new TopicReads(reader, (order, key) => (order === 'topic' ? topics : namespaces).maxGap(key) + 1);
  }

  /** The topic grants of the token the socket was opened with, or last refreshed with (`auth`). */
  setGrants(session: ClientSession, topics: readonly string[]): void {
    this.grants.set(session, topics);
  }

  /** A `subscribe` or `unsubscribe` frame: refused as a whole past the per-socket rate, else queued. */
  handle(session: ClientSession, frame: TopicClientFrame): void {
    let limiter = this.limiters.get(session);
    if (!limiter) this.limiters.set(session, (limiter = new FrameRateLimiter(this.config.topics.subscribesPerSecond)));
    if (!limiter.allow(Date.now())) {
      const names = frame.type === ClientFrameType.Subscribe ? frame.topics.map((t) => t.name) : frame.topics;
      const message = `at most ${this.config.topics.subscribesPerSecond} subscribe frames per second: retry`;
      session.enqueue(() => names.forEach((name) => session.send(refusal(name, FrameErrorCode.RateLimited, message))));
      return;
    }
    if (frame.type === ClientFrameType.Subscribe) session.enqueue(() => this.subscribe(session, frame.topics));
    else session.enqueue(() => this.unsubscribe(session, frame.topics));
  }

  /** Subscribes the socket to `requests`; call it from the socket's queue. */
  async subscribe(session: ClientSession, requests: readonly TopicSubscription[]): Promise<void> {
    const checked = await Promise.all(requests.map((r) => this.check(session, r).catch((err: unknown) => refusalFor(r.name, err))));
    const refused = checked.filter((c): c is ErrorFrame => 'type' in c);
    const wanted = this.withinLimit(session, checked.filter((c): c is Wanted => !('type' in c)), refused);
    if (session.isClosed) return; // closed while tokens were checked: joining now would leak the channels
    const joined = wanted.map((w) => this.join(session, w));
    const reads = await Promise.all(joined.map(({ want, channel }) => this.prepare(want, channel)));
    joined.forEach(({ want, channel, newly }, i) => {
      const read = reads[i];
      if (read instanceof Failure) {
        if (newly) this.leave(session, channel);
        refused.push(refusalFor(want.name, read.cause));
      } else this.place(session, want, channel, newly, read);
    });
    for (const frame of refused) {
      if (isServerSide(frame)) this.logger.warn(`subscribe to ${frame.topic} failed: ${frame.message}`);
      session.send(frame);
    }
  }

  /** Stops following each named topic or pattern; `unsubscribed` either way. Call it from the socket's queue. */
  unsubscribe(session: ClientSession, names: readonly string[]): void {
    for (const name of names) {
      let want: Wanted;
      try {
        want = this.wanted(name);
      } catch (err) {
        session.send(refusalFor(name, err));
        continue;
      }
      const channel = this.channels.get(want.kind, want.key);
      if (channel) this.leave(session, channel);
      session.send({ type: ServerFrameType.Unsubscribed, topic: name });
    }
  }

  /** The socket closed: it follows nothing any more, and channels nobody here follows are released. */
  releaseAll(session: ClientSession): void {
    for (const stream of session.followed()) {
      const channel = this.channels.get(stream.kind, stream.key);
      if (channel === stream) this.leave(session, channel);
      else session.unfollow(stream);
    }
  }

  private async check(session: ClientSession, request: TopicSubscription): Promise<Wanted> {
    const want = this.wanted(request.name);
    await this.authorizer.authorize({ sub: session.userId, topics: this.grants.get(session) ?? [] }, want.topic, request.token);
    return { ...want, since: request.since };
  }

  /** The stream a name stands for; a TopicNameError for a bad one. */
  private wanted(name: string): Wanted {
    const topic = resolveTopic(name, this.config.topics);
    const order: StreamOrder = topic.pattern ? 'namespace' : 'topic';
    const kind = topic.pattern ? this.namespaces : this.topics;
    return { topic, name: topic.name, kind, order, key: topic.pattern ? topic.namespace : topic.name, live: topic.options.live };
  }

  /** The checked entries that fit under the per-socket limit (one per name; a stream followed already costs nothing). */
  private withinLimit(session: ClientSession, checked: Wanted[], refused: ErrorFrame[]): Wanted[] {
    const max = this.config.topics.maxPerSocket;
    let count = session.followedCount;
    const byName = new Map<string, Wanted>();
    for (const want of checked) {
      if (byName.has(want.name)) continue;
      const existing = this.channels.get(want.kind, want.key);
      if (!(existing && session.follows(existing))) {
        if (count >= max) {
          refused.push(refusal(want.name, FrameErrorCode.TooManyTopics, `a socket follows at most ${max} topics`));
          continue;
        }
        count++;
      }
      byName.set(want.name, want);
    }
    return [...byName.values()];
  }

  private join(session: ClientSession, want: Wanted): { want: Wanted; channel: Channel; newly: boolean } {
    const channel = this.channels.join(want.kind, want.key, session);
    const newly = session.follow(channel);
    if (newly) this.gauge(channel, 1);
    return { want, channel, newly };
  }

  /** The channel subscribed (confirmed by Redis) and, for a stored stream, its state and the events above `since`. */
  private async prepare(want: Wanted, channel: Channel): Promise<TopicRead | null | Failure> {
    try {
      await this.subscriptions.acquire(channel);
      return want.live ? null : await this.reads.read(want.order, want.key, want.since);
    } catch (err) {
      return new Failure(err);
    }
  }

  /** Answers `subscribed` and puts the cursor where the client stands: live from now, replayed from `since`, or told to resync. */
  private place(session: ClientSession, want: Wanted, channel: Channel, newly: boolean, read: TopicRead | null): void {
    session.send({ type: ServerFrameType.Subscribed, topic: want.name, lastSeq: read ? read.state.lastSeq : null });
    if (!read) return; // live-only: nothing stored, no positions
    const { lastSeq, trimmedSeq } = read.state;
    if (want.since === undefined) {
      // A stream followed already keeps its cursor: frames queued behind this task are not skipped.
      if (newly) session.startAt(channel, lastSeq);
      return;
    }
    // A since this stream never issued (a reset database), or one its history no longer reaches.
    if (want.since > lastSeq || want.since < trimmedSeq) return session.requireResync(channel, lastSeq);
    if (want.since > session.positionIn(channel)) session.startAt(channel, want.since);
    session.replay(channel, read.rows ?? [], lastSeq);
  }

  private leave(session: ClientSession, channel: Channel): void {
    if (!session.unfollow(channel)) return;
    this.gauge(channel, -1);
    if (this.channels.leave(channel, session)) this.subscriptions.release(channel);
  }

  private gauge(stream: Stream, delta: number): void {
    const namespace = stream.kind === this.topics ? namespaceOf(stream.key) : stream.key;
    this.metrics.topicSubscriptions.labels(this.metrics.namespaces.label(namespace)).inc(delta);
  }
}

/** What went wrong preparing one topic, kept apart from a successful read. */
class Failure {
  constructor(readonly cause: unknown) {}
}
