import { Cluster, type ClusterOptions, type Redis } from 'ioredis';
import { BaseRedisConnection, CONNECT_TIMEOUT_MS, DEFAULT_COMMAND_TIMEOUT_MS, type RedisConnectionOptions } from './base-redis-connection.js';
import { clusterSeeds, type ClusterSeeds } from './cluster-seeds.js';
import { whenAllReady } from './redis-client.js';

/** A Redis Cluster (HERALD_REDIS_CLUSTER=true), reached through its seed nodes. */
export class ClusterRedisConnection extends BaseRedisConnection<Cluster> {
  readonly kind = 'cluster';
  private readonly seeds: ClusterSeeds;

  /** `urls`: seed node URLs; one reachable node is enough, ioredis discovers the rest. */
  constructor(urls: string[], options: RedisConnectionOptions) {
    const seeds = clusterSeeds(urls);
    super(
      new Cluster(seeds.nodes, {
        // As on one Redis: during an outage a command fails at once instead of
        // holding the POST. ioredis would otherwise retry a command for a down
        // node, or a failing cluster, for up to 16 redirections.
        enableOfflineQueue: false,
        retryDelayOnFailover: 0,
        retryDelayOnClusterDown: 0,
        // Without traffic to it, a master that came back is only reconnected by
        // the next command (which then fails while the connection opens); a
        // periodic slot refresh re-adds it, and openEveryNode opens it.
        slotsRefreshInterval: 5000,
        redisOptions: {
          ...seeds.redisOptions,
          connectTimeout: CONNECT_TIMEOUT_MS,
          connectionName: options.name,
          maxRetriesPerRequest: 1,
          // As on one Redis: a master that stops answering fails the command.
          commandTimeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
        },
      }),
      options,
      `${urls[0]} (cluster)`,
    );
    this.seeds = seeds;
    this.openEveryNode();
  }

  /**
   * Resolves when the client and every master's command connection are
   * ready, or after `timeoutMs` regardless (see whenAllReady).
   */
  async whenReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    await whenAllReady([this.client], timeoutMs);
    await whenAllReady(this.client.nodes('master'), Math.max(0, deadline - Date.now()));
  }

  /**
   * A new Cluster client for subscribing, apart from the command client (see
   * StandaloneRedisConnection.createSubscriber), with the same seeds,
   * credentials and TLS. The caller adds its pub/sub options and closes it.
   */
  createSubscriber(options: Pick<ClusterOptions, 'shardedSubscribers'> = {}): Cluster {
    const name = `${this.name}-sub`;
    const subscriber = new Cluster(this.seeds.nodes, {
      ...options,
      redisOptions: { ...this.seeds.redisOptions, connectTimeout: CONNECT_TIMEOUT_MS, connectionName: name },
    });
    this.logErrors(subscriber, name);
    return subscriber;
  }

  /**
   * ioredis opens a node's connection on its first command, and with the
   * offline queue off it rejects every further command to that node until
   * the connection is up: a burst of publishes would fail. So open every
   * node's connection once the client is ready, and each node added later.
   * Not while it is still connecting: its ready check (CLUSTER INFO on any
   * node) fails on a connection that is opening, and it starts over. Nor
   * before the command that made ioredis add the node (a MOVED retry) was
   * sent: ioredis rejects that too while the connection is opening.
   */
  private openEveryNode(): void {
    const open = (node: Redis) => {
      if (this.client.status === 'ready' && node.status === 'wait') node.connect().catch(() => undefined);
    };
    this.client.on('ready', () => this.client.nodes('all').forEach(open));
    this.client.on('+node', (node: Redis) => setImmediate(() => open(node)));
  }
}
