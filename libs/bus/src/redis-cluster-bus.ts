import type { Cluster } from 'ioredis';
import type { BusMessage } from './bus.js';
import type { ClusterRedisConnection } from './cluster-redis-connection.js';
import { hashTag, keySlot } from './cluster-slot.js';
import type { RedisClient } from './redis-client.js';
import { withDeadline } from './redis-deadline.js';
import { RedisPubSubBus } from './redis-pubsub-bus.js';
import { readyMaster } from './ready-master.js';
import { ShardRecovery } from './shard-recovery.js';
import { throttleSlotRefresh } from './slot-refresh-throttle.js';

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
 * Publishes go down the process's command connection (a Cluster client);
 * subscriptions use a Cluster client of this bus, as RedisBus does.
 *
 * `onResubscribed` fires once a lost node's sharded subscriptions answer
 * again (see ShardRecovery). Broadcasts are live-only, so the classic
 * subscriber, which ioredis moves to another node by itself, needs no
 * re-read. One master being down does not make the bus unready: the other
 * shards still deliver, and a gateway taken out of its load balancer would
 * cut every user, not just that shard's.
 */
export class RedisClusterBus extends RedisPubSubBus<ClusterRedisConnection> {
  private subscriber: Cluster;
  private recovery: ShardRecovery;
  /** Sharded channels held here, with their slots: after an outage, one probe per node that holds any. */
  private readonly sharded = new Map<string, number>();
  /** Classic channels held here, to subscribe again on a replacement client. */
  private readonly classic = new Set<string>();

  constructor(connection: ClusterRedisConnection) {
    super(connection);
    [this.subscriber, this.recovery] = this.connectSubscriber(false);
  }

  /**
   * Sends every message at once and waits for all. Order per user holds: all
   * of a user's messages go to the node that owns its slot, down one
   * connection, in the order they were queued here.
   */
  async publish(messages: BusMessage[]): Promise<void> {
    const client = this.connection.client;
    let classic: ReturnType<typeof readyMaster> | undefined;
    const sent = Promise.all(
      messages.map((m) => (hashTag(m.channel) === null ? (classic ??= readyMaster(client)).publish(m.channel, m.payload) : client.spublish(m.channel, m.payload))),
    );
    await withDeadline(sent, this.connection.commandTimeoutMs, 'publish');
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

  async close(): Promise<void> {
    this.recovery.stop();
    await super.close();
  }

  /**
   * The turn's classic channels in one SUBSCRIBE (one connection); each
   * sharded channel on its own, since its slot picks the connection.
   */
  protected subscribeBatch(channels: string[]): Promise<unknown>[] {
    const classic = channels.filter((c) => hashTag(c) === null);
    for (const c of classic) this.classic.add(c);
    const classicDone = classic.length ? this.subscriber.subscribe(...classic) : Promise.resolve();
    return channels.map((c) => (hashTag(c) === null ? classicDone : this.ssubscribe(c)));
  }

  protected subscribers(): RedisClient[] {
    return [this.subscriber];
  }

  /** The subscribing client and the recovery watching it; `lost`: it replaces a stuck one. */
  private connectSubscriber(lost: boolean): [Cluster, ShardRecovery] {
    // Without shardedSubscribers SSUBSCRIBE goes to the one classic subscriber
    // connection, on any node, and fails with MOVED for slots that node does not own.
    const subscriber = this.connection.createSubscriber({ shardedSubscribers: true });
    throttleSlotRefresh(subscriber, SLOT_REFRESH_MS);
    subscriber.on('smessage', this.deliver);
    subscriber.on('message', this.deliver);
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
