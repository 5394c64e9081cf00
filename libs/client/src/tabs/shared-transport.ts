import { ClientFrameType, ServerFrameType, type ClientFrame, type WelcomeFrame } from '@herald/contracts';
import { ConnectionState } from '../connection-state.js';
import { decodeJwtPayload } from '../connection/jwt-expiry.js';
import type { Link, Transport, TransportHooks } from '../connection/transport.js';
import type { TokenSource } from '../rest-client.js';
import { isTabMessage, tabGroupName, type TabMessage } from './tab-messages.js';
import type { ChannelLike, TabPlatform } from './tab-platform.js';

/** Links are `epoch * LINK_SPAN + the socket's own link`: each role change or
 * new leader opens an epoch, so links of an earlier socket never match. */
const LINK_SPAN = 2 ** 32;

export interface SharedTransportOptions {
  wsUrl: string;
  getToken: TokenSource;
  /** A socket of this tab's own, with these hooks; used while this tab leads. */
  socket(hooks: TransportHooks): Transport;
}

/**
 * One socket per browser: the tabs of an origin signed in as one user
 * elect a leader with a Web Lock; the leader holds the socket and posts its
 * frames and state on a BroadcastChannel, the others (followers) feed what
 * they receive into their own queue and features and send their frames
 * through the leader. When the leader tab goes, the browser hands the lock
 * to a waiting tab, whose socket resumes from that tab's own lastSeq: the
 * replay and gap fill deliver whatever the handover missed, to every tab.
 */
export class SharedTransport implements Transport {
  private current: ConnectionState = ConnectionState.Closed;
  private readonly id = Math.random().toString(36).slice(2) + Date.now().toString(36);
  /** Bumped by start/stop, so work of an earlier start ends itself. */
  private run = 0;
  private epoch = 0;
  private channel: ChannelLike | null = null;
  private abort: AbortController | null = null;
  private release: (() => void) | null = null;
  /** This tab's socket while it leads. */
  private leader: Transport | null = null;
  private lastWelcome: { frame: WelcomeFrame; link: Link } | null = null;
  /** While following: the leader socket whose frames this tab takes, and its link here. */
  private source: { leader: string; link: Link; local: Link } | null = null;
  private polling = false;

  constructor(
    private readonly options: SharedTransportOptions,
    private readonly platform: TabPlatform,
    private readonly hooks: TransportHooks,
  ) {}

  get state(): ConnectionState {
    return this.current;
  }

  /** True while this tab holds the socket (or keeps one of its own). */
  get leading(): boolean {
    return this.leader !== null;
  }

  start(): void {
    if (this.current !== ConnectionState.Closed) return;
    const run = ++this.run;
    this.setState(ConnectionState.Connecting);
    void this.join(run);
  }

  stop(): void {
    this.run++;
    this.epoch++;
    this.abort?.abort();
    this.abort = null;
    const leader = this.leader;
    this.leader = null;
    if (leader) {
      leader.stop();
      this.post({ kind: 'state', leader: this.id, state: ConnectionState.Closed });
    }
    this.release?.();
    this.release = null;
    this.channel?.close();
    this.channel = null;
    this.source = null;
    this.lastWelcome = null;
    this.setState(ConnectionState.Closed);
  }

  send(frame: ClientFrame): boolean {
    // The socket is shared: another tab may still follow the topic. Events of
    // topics a tab dropped are ignored by that tab; the next socket forgets them.
    if (frame.type === ClientFrameType.Unsubscribe && this.channel) return true;
    if (this.leader) return this.leader.send(frame);
    if (this.current !== ConnectionState.Open) return false;
    this.post({ kind: 'send', from: this.id, frame });
    return true;
  }

  accept(frame: WelcomeFrame, link: Link): boolean {
    if (this.leader) return Math.floor(link / LINK_SPAN) === this.epoch && this.leader.accept(frame, link % LINK_SPAN);
    if (!this.source || link !== this.source.local) return false;
    this.hooks.welcome(frame);
    this.setState(ConnectionState.Open);
    return true;
  }

  restart(link: Link): void {
    if (this.leader) {
      if (Math.floor(link / LINK_SPAN) === this.epoch) this.leader.restart(link % LINK_SPAN);
    } else if (this.source && link === this.source.local) {
      this.post({ kind: 'restart', from: this.id, leader: this.source.leader, link: this.source.link });
    }
  }

  private async join(run: number): Promise<void> {
    let name: string | null = null;
    try {
      const sub = decodeJwtPayload(await this.options.getToken())?.sub;
      name = tabGroupName(this.options.wsUrl, typeof sub === 'string' ? sub : null);
    } catch {
      // The socket's own attempt asks again and reports a token source that fails.
    }
    if (run !== this.run) return;
    // A token that names no user: this tab keeps a socket of its own.
    if (!name) return void this.lead(run);
    const channel = (this.channel = new this.platform.BroadcastChannel(name));
    channel.onmessage = (event) => {
      if (run === this.run && isTabMessage(event.data)) this.onMessage(event.data);
    };
    this.post({ kind: 'hello', from: this.id });
    const abort = (this.abort = new AbortController());
    this.platform.locks
      .request(name, { signal: abort.signal }, () => (run === this.run ? this.lead(run) : Promise.resolve()))
      .catch(() => undefined); // aborted by stop() while waiting
  }

  /** Holds the lock (the returned promise) until stop(). */
  private lead(run: number): Promise<void> {
    const epoch = ++this.epoch;
    this.source = null;
    const socket: Transport = this.options.socket({
      since: () => this.hooks.since(),
      frame: (frame, link) => {
        if (frame.type === ServerFrameType.Welcome) this.lastWelcome = { frame, link };
        this.post({ kind: 'frame', leader: this.id, link, frame });
        this.hooks.frame(frame, epoch * LINK_SPAN + link);
      },
      welcome: (frame) => this.hooks.welcome(frame),
      poll: () => {
        this.post({ kind: 'poll', leader: this.id });
        return this.hooks.poll();
      },
      state: (state) => {
        if (socket !== this.leader) return;
        this.post({ kind: 'state', leader: this.id, state });
        // A terminal close: step down, so the lock and the app both hear it.
        if (state === ConnectionState.Closed) return this.stop();
        this.setState(state);
      },
      error: (error) => this.hooks.error(error),
    });
    this.leader = socket;
    socket.start();
    return new Promise((resolve) => {
      if (run === this.run) this.release = resolve;
      else resolve();
    });
  }

  private onMessage(message: TabMessage): void {
    const leader = this.leader;
    switch (message.kind) {
      case 'hello':
        if (leader) void this.greet(message.from);
        return;
      case 'send':
        leader?.send(message.frame);
        return;
      case 'restart':
        if (leader && message.leader === this.id) leader.restart(message.link);
        return;
      case 'frame':
        if (!leader) this.follow(message);
        return;
      case 'state':
        // `open` comes with the welcome; a leader that closed is about to be replaced.
        if (leader || message.state === ConnectionState.Open) return;
        this.setState(message.state === ConnectionState.Closed ? ConnectionState.Reconnecting : message.state);
        return;
      case 'poll':
        if (!leader) void this.pollOnce();
        return;
    }
  }

  private follow(message: Extract<TabMessage, { kind: 'frame' }>): void {
    const { frame, leader, link } = message;
    if (message.to !== undefined && message.to !== this.id) return;
    const same = this.source?.leader === leader && this.source.link === link;
    if (frame.type === ServerFrameType.Welcome) {
      // The leader's answer to our hello, after its own welcome already reached us.
      if (same && message.to !== undefined) return;
      this.source = { leader, link, local: ++this.epoch * LINK_SPAN };
    } else if (!same) {
      return;
    }
    if (this.source) this.hooks.frame(frame, this.source.local);
  }

  /** Tells a new follower where the stream stands: the welcome of our socket, brought up to date. */
  private async greet(to: string): Promise<void> {
    const welcome = this.lastWelcome;
    // No socket up (reconnecting, polling): the newcomer shows that state meanwhile.
    if (!welcome || this.current !== ConnectionState.Open) return this.post({ kind: 'state', leader: this.id, state: this.current });
    // Taken in the queue, after every frame already posted: the follower drops
    // frames from before this, and its lastSeq starts past all of them.
    const patch = await this.hooks.snapshot?.();
    if (patch === null || this.lastWelcome !== welcome || !this.leader) return;
    const frame: WelcomeFrame = { ...welcome.frame, ...patch, recent: undefined };
    this.post({ kind: 'frame', leader: this.id, link: welcome.link, frame, to });
  }

  private async pollOnce(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      await this.hooks.poll();
    } finally {
      this.polling = false;
    }
  }

  private post(message: TabMessage): void {
    try {
      this.channel?.postMessage(message);
    } catch {
      // The channel closed under us (the tab is going away): nobody is left to tell.
    }
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    this.hooks.state(state);
  }
}
