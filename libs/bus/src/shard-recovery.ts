import type { EventEmitter } from 'node:events';

/**
 * Events of an ioredis Cluster after which sharded subscriptions may have
 * missed messages: ioredis dropped a sharded subscriber (it had died, or its
 * node lost its slots), or the whole client is reconnecting. Not `-node`:
 * ioredis also emits that when an idle command connection closes, which
 * loses no message.
 */
const LOSS_EVENTS = ['-subscriber', 'close', 'reconnecting'];
/** Emitted by ioredis once it has re-created sharded subscribers and re-sent their SSUBSCRIBEs. */
const READY_EVENT = 'subscribersReady';

export interface ShardRecoveryOptions {
  /** The subscribing Cluster (anything that emits its events). */
  events: Pick<EventEmitter, 'on'>;
  /** True while the Cluster client is `ready` (reaches the cluster at all). */
  isUp: () => boolean;
  /**
   * Resolves once every sharded subscriber connection has answered a command
   * queued behind its re-sent SSUBSCRIBEs; rejects when one is not up.
   */
  probe: () => Promise<void>;
  /** Called once per recovery, when the subscriptions are live again. */
  onRecovered: () => void;
  /** Called when ioredis has stopped re-subscribing although the cluster is up: replace the client. */
  onStuck: () => void;
  /** Start as after a loss (a replacement client whose channels are being subscribed again). @default false */
  lost?: boolean;
  /** How often a pending recovery is re-checked. @default 1000 */
  retryMs?: number;
  /** A probe that has not answered by then counts as failed. @default 5000 */
  probeTimeoutMs?: number;
  /**
   * Up, still recovering, and not a word from ioredis (no `ready`, no
   * `subscribersReady`) for this long: stuck. While a master is down ioredis
   * retries it with a backoff of at most 2.5 s, each retry ending in
   * `subscribersReady`, so a long outage of one master is not mistaken for it.
   * @default 10000
   */
  stuckAfterMs?: number;
}

/**
 * Tells when a Redis Cluster's sharded subscriptions are live again after a
 * node's connection was lost, so the gateway can re-read what was published
 * meanwhile. ioredis re-creates a lost node's sharded subscriber and re-sends
 * its SSUBSCRIBEs by itself, then emits `subscribersReady`; but it emits that
 * after a failed attempt too, and never says the SSUBSCRIBEs were answered.
 * So after a loss this waits for `subscribersReady`, then probes; a loss seen
 * while a probe is in flight voids it, because the probe may have gone down
 * the connection that was just replaced.
 *
 * After every master went down at once, ioredis 6 can wedge its sharded
 * subscriber group for good (a reset that never finishes); that shows as a
 * cluster that is up with no `subscribersReady` coming, and is reported
 * through `onStuck`.
 */
export class ShardRecovery {
  private lossEpoch = 0;
  /** The loss epoch at the latest `subscribersReady`: equal to lossEpoch once ioredis has re-subscribed after the latest loss. */
  private readyEpoch = 0;
  private pending = false;
  private probing = false;
  private readyWhileProbing = false;
  private lastSignalAt = Date.now();
  private stopped = false;
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly options: ShardRecoveryOptions) {
    for (const event of LOSS_EVENTS) options.events.on(event, () => this.lost());
    options.events.on(READY_EVENT, () => this.ready());
    options.events.on('ready', () => (this.lastSignalAt = Date.now()));
    if (options.lost) this.lost();
  }

  /** True between a loss and the probe that proves the subscriptions are back. */
  get recovering(): boolean {
    return this.pending;
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.ticker);
  }

  private lost(): void {
    this.lossEpoch++;
    if (this.pending || this.stopped) return;
    this.pending = true;
    this.lastSignalAt = Date.now();
    this.ticker = setInterval(() => this.tick(), this.options.retryMs ?? 1000);
    this.ticker.unref();
  }

  private ready(): void {
    this.readyEpoch = this.lossEpoch;
    this.lastSignalAt = Date.now();
    if (this.probing) this.readyWhileProbing = true;
    else void this.verify();
  }

  /**
   * Probes again when ioredis has re-subscribed since the latest loss (the
   * last probe may have failed for a passing reason), or reports a stuck client.
   */
  private tick(): void {
    if (!this.pending || this.stopped || this.probing) return;
    if (this.options.isUp() && Date.now() - this.lastSignalAt >= (this.options.stuckAfterMs ?? 10_000)) {
      this.lastSignalAt = Date.now();
      this.options.onStuck();
      return;
    }
    void this.verify();
  }

  private async verify(): Promise<void> {
    if (!this.pending || this.probing || this.stopped || this.readyEpoch !== this.lossEpoch) return;
    this.probing = true;
    this.readyWhileProbing = false;
    const epoch = this.lossEpoch;
    const ok = await this.probeWithTimeout();
    this.probing = false;
    if (this.stopped) return;
    if (ok && epoch === this.lossEpoch) {
      this.pending = false;
      clearInterval(this.ticker);
      this.options.onRecovered();
      return;
    }
    if (this.readyWhileProbing) void this.verify();
  }

  private async probeWithTimeout(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(resolve, this.options.probeTimeoutMs ?? 5000, false);
      timer.unref();
    });
    const probe = this.options.probe().then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
