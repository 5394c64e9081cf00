import { Cluster, type Redis } from 'ioredis';
import { Bus, type BusMessage, type BusMessageHandler } from './bus.js';
import { clusterSeeds, type ClusterSeeds } from './cluster-seeds.js';
import { hashTag, keySlot } from './cluster-slot.js';
import { whenAllReady } from './redis-client.js';
import { ShardRecovery } from './shard-recovery.js';
import { throttleSlotRefresh } from './slot-refresh-throttle.js';

export interface RedisClusterBusOptions {
  /** Seed node URLs; one reachable node is enough, ioredis discovers the rest. */
  urls: string[];
  /** Connection name shown in CLIENT LIST, e.g. `herald-gateway`. */
  name: string;
}

/** At most one slot-map refresh per this long on the subscribing client (see throttleSlotRefresh). */
const SLOT_REFRESH_MS = 500;

/**
 * A channel nobody subscribes to, in the slot of `channel`. SUNSUBSCRIBE of
 * it changes nothing on the server and is routed to the sharded subscriber
 * connection that holds `channel`.
 */
const probeChannel = (channel: string) => `herald-probe:{${hashTag(channel)}}`;

/**
 * Redis Cluster pub/sub. A channel with a hash tag (a user channel,
 * `herald:u:{id}`) goes over sharded pub/sub: SPUBLISH reaches only the
 * shard that owns the slot, and ioredis keeps one SSUBSCRIBE connection per
 * master (`shardedSubscribers`), so the cluster's pub/sub load grows with
 * its shards. A channel without one (the broadcast channel) goes over
 * classic PUBLISH/SUBSCRIBE, which every node forwards to every subscriber,
 * so it reaches every gateway whichever node they listen on.
 *
 * Commands (publishes, tickets, presence, rate limits) and subscriptions use
 * separate Cluster clients, as RedisBus uses separate connections.
 */
export class RedisClusterBus extends Bus {
  readonly publisher: Cluster;
  private subscriber: Cluster;
  private recovery: ShardRecovery;
  private handler: BusMessageHandler = () => undefined;
  private resubscribed: () => void = () => undefined;
  /** Sharded channels held here, with their slots: after an outage, one probe per node that holds any. */
  private readonly sharded = new Map<string, number>();
  /** Classic channels held here, to subscribe again on a replacement client. */
  private readonly classic = new Set<string>();
  private readonly seeds: ClusterSeeds;
  private readonly name: string;

  constructor({ urls, name }: RedisClusterBusOptions) {
    super();
    this.seeds = clusterSeeds(urls);
    this.name = name;
    this.publisher = new Cluster(this.seeds.nodes, {
      // As in RedisBus: during an outage a command fails at once instead of
      // holding the POST. ioredis would otherwise retry a command for a down
      // node, or a failing cluster, for up to 16 redirections.
      enableOfflineQueue: false,
      retryDelayOnFailover: 0,
      retryDelayOnClusterDown: 0,
      // Without traffic to it, a master that came back is only reconnected by
      // the next command (which then fails while the connection opens); a
      // periodic slot refresh re-adds it, and '+node' below opens it.
      slotsRefreshInterval: 5000,
      redisOptions: { ...this.seeds.redisOptions, connectTimeout: 5000, connectionName: name, maxRetriesPerRequest: 1 },
    });
    this.publisher.on('error', () => undefined);
    // ioredis opens a node's connection on its first command, and with the
    // offline queue off it rejects every further command to that node until
    // the connection is up: a burst of publishes would fail. So open every
    // node's connection once the client is ready, and each node added later.
    // Not while it is still connecting: its ready check (CLUSTER INFO on any
    // node) fails on a connection that is opening, and it starts over. Nor
    // before the command that made ioredis add the node (a MOVED retry) was
    // sent: ioredis rejects that too while the connection is opening.
    const open = (node: Redis) => {
      if (this.publisher.status === 'ready' && node.status === 'wait') node.connect().catch(() => undefined);
    };
    this.publisher.on('ready', () => this.publisher.nodes('all').forEach(open));
    this.publisher.on('+node', (node: Redis) => setImmediate(() => open(node)));
    [this.subscriber, this.recovery] = this.connectSubscriber(false);
  }

  /**
   * Resolves when both clients and every master's command connection are
   * ready, or after `timeoutMs` regardless (see whenAllReady).
   */
  async whenReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await whenAllReady([this.publisher, this.subscriber], timeoutMs);
    await whenAllReady(this.publisher.nodes('master'), Math.max(0, deadline - Date.now()));
  }

  /**
   * Sends every message at once and waits for all. Order per user holds: all
   * of a user's messages go to the node that owns its slot, down one
   * connection, in the order they were queued here.
   */
  async publish(messages: BusMessage[]): Promise<void> {
    await Promise.all(
      messages.map((m) => (hashTag(m.channel) === null ? this.publisher.publish(m.channel, m.payload) : this.publisher.spublish(m.channel, m.payload))),
    );
  }

  async subscribe(channels: string[]): Promise<void> {
    await Promise.all(channels.map((c) => (hashTag(c) === null ? this.classicSubscribe(c) : this.ssubscribe(c))));
  }

  async unsubscribe(channels: string[]): Promise<void> {
    await Promise.all(
      channels.map((c) => {
        if (hashTag(c) === null) {
          this.classic.delete(c);
          return this.subscriber.unsubscribe(c);
        }
        this.sharded.delete(c);
        return this.subscriber.sunsubscribe(c);
      }),
    );
  }

  onMessage(handler: BusMessageHandler): void {
    this.handler = handler;
  }

  /**
   * Called once a lost node's sharded subscriptions answer again (see
   * ShardRecovery). Broadcasts are live-only, so the classic subscriber,
   * which ioredis moves to another node by itself, needs no re-read.
   */
  onResubscribed(handler: () => void): void {
    this.resubscribed = handler;
  }

  /**
   * Both clients can reach the cluster. One master being down does not make
   * the cluster client unready: the other shards still deliver, and a
   * gateway taken out of its load balancer would cut every user, not just
   * that shard's.
   */
  isReady(): boolean {
    return this.publisher.status === 'ready' && this.subscriber.status === 'ready';
  }

  async close(): Promise<void> {
    this.recovery.stop();
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }

  /** The subscribing client and the recovery watching it; `lost`: it replaces a stuck one. */
  private connectSubscriber(lost: boolean): [Cluster, ShardRecovery] {
    const subscriber = new Cluster(this.seeds.nodes, {
      // Without it SSUBSCRIBE goes to the one classic subscriber connection,
      // on any node, and fails with MOVED for slots that node does not own.
      shardedSubscribers: true,
      redisOptions: { ...this.seeds.redisOptions, connectTimeout: 5000, connectionName: `${this.name}-sub` },
    });
    throttleSlotRefresh(subscriber, SLOT_REFRESH_MS);
    subscriber.on('error', () => undefined);
    subscriber.on('smessage', (channel: string, payload: string) => this.handler(channel, payload));
    subscriber.on('message', (channel: string, payload: string) => this.handler(channel, payload));
    const recovery = new ShardRecovery({
      events: subscriber,
      lost,
      isUp: () => subscriber.status === 'ready',
      probe: () => this.probe(),
      onRecovered: () => this.resubscribed(),
      onStuck: () => this.replaceSubscriber(),
    });
    return [subscriber, recovery];
  }

  /**
   * Swaps a wedged subscribing client (see ShardRecovery) for a new one and
   * subscribes every channel held here on it. The new recovery starts as
   * after a loss: its probe, queued behind these SSUBSCRIBEs, proves them
   * live, and the listener re-reads what was missed.
   */
  private replaceSubscriber(): void {
    const old = this.subscriber;
    this.recovery.stop();
    old.removeAllListeners();
    old.on('error', () => undefined);
    old.disconnect();
    [this.subscriber, this.recovery] = this.connectSubscriber(true);
    for (const channel of this.classic) this.subscriber.subscribe(channel).catch(() => undefined);
    for (const channel of this.sharded.keys()) this.subscriber.ssubscribe(channel).catch(() => undefined);
  }

  private async classicSubscribe(channel: string): Promise<void> {
    this.classic.add(channel);
    await this.subscriber.subscribe(channel);
  }

  /**
   * ioredis remembers a channel once SSUBSCRIBE is routed, even if sending it
   * then fails, and would subscribe it again after the next reconnect; the
   * caller never unsubscribes a channel it was told failed, so forget it here.
   */
  private async ssubscribe(channel: string): Promise<void> {
    this.sharded.set(channel, keySlot(channel));
    try {
      await this.subscriber.ssubscribe(channel);
    } catch (err) {
      this.sharded.delete(channel);
      await this.subscriber.sunsubscribe(channel).catch(() => undefined);
      throw err;
    }
  }

  /**
   * One SUNSUBSCRIBE per master that holds channels of ours: it travels down
   * the same sharded connection as the SSUBSCRIBEs ioredis re-sent, so its
   * reply means they are live.
   */
  private async probe(): Promise<void> {
    const byNode = new Map<string, string>();
    for (const [channel, slot] of this.sharded) byNode.set(this.subscriber.slots[slot]?.[0] ?? `slot ${slot}`, channel);
    await Promise.all([...byNode.values()].map((channel) => this.subscriber.sunsubscribe(probeChannel(channel))));
  }
}
