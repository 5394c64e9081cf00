import { ClientFrameType, ServerFrameType, type NotificationPage, type WelcomeFrame } from '@herald/contracts';
import { resolveOptions, type HeraldClientOptions } from './client-options.js';
import { ConnectionState } from './connection-state.js';
import { createTransport } from './tabs/create-transport.js';
import type { Link, Transport } from './connection/transport.js';
import type { ClientFeature, Emit, FeatureContext } from './core/client-feature.js';
import { FrameRouter } from './core/frame-router.js';
import { TaskQueue } from './core/task-queue.js';
import { HeraldFrameError, toError } from './herald-errors.js';
import type { HeraldEvents } from './herald-events.js';
import type { Inbox } from './inbox/inbox.js';
import { InboxFeature } from './inbox/inbox-feature.js';
import { TopicsFeature } from './topics/topics-feature.js';
import type { SubscribeOptions, TopicHandler } from './topics/topic-subscription.js';
import { RestClient, type ListOptions } from './rest-client.js';
import { TypedEmitter } from './typed-emitter.js';

/**
 * The Herald SDK: one live socket per client with resume, gap fill,
 * dedupe, backoff, a polling fallback and token refresh, plus the inbox REST
 * calls. Works in browsers and in Node (pass `WebSocket` from `ws`).
 *
 * This class is the public facade and the place where the parts meet: the
 * transport (one socket's life), the queue and frame router (what each frame
 * means, one at a time) and the features (the inbox). See the README's
 * "Inside" section for where a new frame kind or feature goes.
 */
export class HeraldClient extends TypedEmitter<HeraldEvents> {
  private readonly rest: RestClient;
  private readonly queue: TaskQueue;
  private readonly transport: Transport;
  private readonly inboxFeature: InboxFeature;
  private readonly topics: TopicsFeature;

  constructor(options: HeraldClientOptions) {
    super();
    const o = resolveOptions(options);
    const emit: Emit = (event, value) => this.emit(event, value);
    const rest = (this.rest = new RestClient(o.url, o.getToken, o.fetch, o.requestTimeoutMs));
    const queue = (this.queue = new TaskQueue((error) => emit('error', toError(error))));
    const router = new FrameRouter();
    const context: FeatureContext = {
      options: o,
      rest,
      router,
      queue,
      emit,
      send: (frame) => this.transport.send(frame),
      restart: (link) => this.transport.restart(link),
    };
    // Features see every welcome and poll in this order.
    this.inboxFeature = new InboxFeature(context, () => this.transport.state === ConnectionState.Open);
    const features: ClientFeature[] = [this.inboxFeature, (this.topics = new TopicsFeature(context))];
    this.transport = createTransport(o, rest, {
      since: () => this.inboxFeature.lastSeq,
      frame: (frame, link) => void queue.enqueue(() => router.dispatch(frame, link)),
      welcome: (frame) => features.forEach((feature) => feature.welcome?.(frame)),
      poll: () =>
        queue.enqueue(async () => {
          for (const feature of features) await feature.poll?.();
        }),
      state: (state) => {
        // Off before listeners hear `closed`: a closed client's queued work
        // and late REST answers are dropped, not emitted.
        if (state === ConnectionState.Closed) queue.active = false;
        emit('state', state);
      },
      error: (error) => emit('error', error),
      snapshot: async () => {
        let snapshot: Partial<WelcomeFrame> | null = null;
        await queue.enqueue(() => void (snapshot = this.inboxFeature.snapshot()));
        return snapshot;
      },
    });
    // Frames of the connection itself; a feature's frames are registered by the feature.
    router
      .on(ServerFrameType.Welcome, (frame, link) => this.onWelcome(frame, link))
      .on(ServerFrameType.Broadcast, (frame) => emit('broadcast', frame.broadcast))
      .on(ServerFrameType.Pong, (frame) => emit('pong', frame.ts))
      .on(ServerFrameType.Error, (frame) => {
        emit('error', new HeraldFrameError(frame.code, frame.message, frame.topic));
        features.forEach((feature) => feature.refused?.(frame));
      });
  }

  get state(): ConnectionState {
    return this.transport.state;
  }

  /** True while this tab holds the socket (always, without tab sharing). */
  get leading(): boolean {
    return this.transport.leading ?? true;
  }

  /** The last seq emitted; save it and pass it back as `since` to resume later. */
  get lastSeq(): number | null {
    return this.inboxFeature.lastSeq;
  }

  /** The inbox as this client holds it, kept current by the stream, with filters, counts and actions. */
  get inbox(): Inbox {
    return this.inboxFeature.inbox;
  }

  /** Opens the socket; a no-op while already started. */
  connect(): void {
    // Already true unless closed (start() is then a no-op), so this changes nothing.
    this.queue.active = true;
    this.transport.start();
  }

  /** Closes the socket and stops retrying and polling; `connect()` resumes later. */
  close(): void {
    this.transport.stop();
    this.inboxFeature.inbox.stop();
  }

  /** Sends an app-level `ping`; the answer arrives as a `pong` event. */
  ping(): boolean {
    return this.transport.send({ type: ClientFrameType.Ping });
  }

  /**
   * Follows a topic (`jobs:42`) or a whole namespace (`inventory:*`):
   * `handler` gets each event once, in order, across reconnects. Returns the
   * function that stops it. See SubscribeOptions for `since`, `token` and
   * `onResync`.
   */
  subscribe(topic: string, handler: TopicHandler, options?: SubscribeOptions): () => void {
    return this.topics.subscribe(topic, handler, options);
  }

  /** The last position handed to `topic`'s handlers (seq; nsSeq for a pattern), to pass back as `since` later. */
  topicPosition(topic: string): number | null {
    return this.topics.position(topic);
  }

  list(options?: ListOptions): Promise<NotificationPage> {
    return this.rest.list(options);
  }
  markRead(id: string): Promise<void> {
    return this.rest.markRead(id);
  }
  markUnread(id: string): Promise<void> {
    return this.rest.markUnread(id);
  }
  markAllRead(): Promise<void> {
    return this.rest.markAllRead();
  }
  remove(id: string): Promise<void> {
    return this.rest.remove(id);
  }
  unreadCount(): Promise<number> {
    return this.rest.unreadCount();
  }

  private onWelcome(frame: WelcomeFrame, link: Link): void {
    // A welcome of a socket already dropped is old news.
    if (!this.transport.accept(frame, link)) return;
    const { connectionId, userId, lastSeq, unreadCount, serverTime, recent = [] } = frame;
    this.emit('welcome', { connectionId, userId, lastSeq, unreadCount, serverTime, recent });
  }
}
