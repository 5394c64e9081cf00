import type { ClientFrame, ErrorFrame, WelcomeFrame } from '@herald/contracts';
import type { ResolvedOptions } from '../client-options.js';
import type { Link } from '../connection/transport.js';
import type { HeraldEvents } from '../herald-events.js';
import type { RestClient } from '../rest-client.js';
import type { FrameRouter } from './frame-router.js';
import type { TaskQueue } from './task-queue.js';

export type Emit = <K extends keyof HeraldEvents>(event: K, value: HeraldEvents[K]) => void;

/** What the client core lends each feature when it is constructed. */
export interface FeatureContext {
  readonly options: ResolvedOptions;
  readonly rest: RestClient;
  /** Register the frame types the feature owns here, in its constructor. */
  readonly router: FrameRouter;
  /** Frame handlers already run in it; `active` and `fail` are for work
   * that outlives a handler (REST pages arriving after close()). */
  readonly queue: TaskQueue;
  readonly emit: Emit;
  /** Sends on the current link; false while there is none. */
  send(frame: ClientFrame): boolean;
  /** Drops `link` and reconnects; the resume replays what the feature failed to fetch. */
  restart(link: Link): void;
}

/**
 * A part of the client with frames and state of its own (the inbox,
 * topics). It registers its frame types on the router in its
 * constructor and joins the connection's life through these hooks, which
 * the core calls for every feature in the order they were added.
 */
export interface ClientFeature {
  /**
   * A socket was accepted, the first one or one after a reconnect; runs in
   * the queue before the state turns `open`. The place to realign cursors
   * with the server's and to send subscriptions again.
   */
  welcome?(frame: WelcomeFrame): void;
  /** One REST round while the socket is down; runs in the queue. Errors
   * are the feature's to report (a network error is why we poll). */
  poll?(): Promise<void>;
  /** The server refused a frame (`error`); runs in the queue after the
   * client's `error` event. A feature retries or drops what it sent. */
  refused?(frame: ErrorFrame): void;
}
