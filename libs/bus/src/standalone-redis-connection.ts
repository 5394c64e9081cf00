import { Redis, type RedisOptions } from 'ioredis';
import { BaseRedisConnection, CONNECT_TIMEOUT_MS, DEFAULT_COMMAND_TIMEOUT_MS, type RedisConnectionOptions } from './base-redis-connection.js';

/** Options every client to the one Redis gets: a failed command is not retried on a new connection. */
const common = { connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 1 } satisfies RedisOptions;

/** One Redis (REDIS_URL without HERALD_REDIS_CLUSTER). */
export class StandaloneRedisConnection extends BaseRedisConnection<Redis> {
  readonly kind = 'standalone';

  constructor(
    private readonly url: string,
    options: RedisConnectionOptions,
  ) {
    // No offline queue for commands: during an outage a publish (or a ticket,
    // or a rate-limit count) fails at once instead of holding the POST for
    // the length of the outage; the rows are the truth and resume repairs
    // delivery. Auto-pipelining sends the commands issued in one tick (a
    // rate-limit count per concurrent POST, ticket and presence calls) in one write.
    // Except PUBLISH: auto-pipelined, it waited for setImmediate, behind the
    // HTTP answers and whatever else the loop had to do, on every
    // notification's way to its socket. Written at once, a committed
    // batch's frames leave before its answers (a batch's frames still go as
    // one pipeline, RedisBus.send; docs/benchmarks.md, round 11).
    // A command that gets no answer within the timeout fails (the limiter
    // falls back to memory, a publish is logged: the rows are the truth).
    const commandTimeout = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    super(new Redis(url, { ...common, connectionName: options.name, enableOfflineQueue: false, enableAutoPipelining: true, autoPipeliningIgnoredCommands: ['publish'], commandTimeout }), options, url);
  }

  /**
   * A new connection for subscribing, apart from the command client: a
   * subscribed connection runs no other command in RESP2, and a burst of
   * commands never delays incoming messages. It keeps its offline queue so
   * that ioredis can re-subscribe after a reconnect. The caller closes it.
   */
  createSubscriber(options: Pick<RedisOptions, 'autoResubscribe'> = {}): Redis {
    const name = `${this.name}-sub`;
    const subscriber = new Redis(this.url, { ...common, ...options, connectionName: name });
    this.logErrors(subscriber, name);
    return subscriber;
  }
}
