import type { RedisClient } from './redis-client.js';
import { whenAllReady } from './redis-client.js';
import { RedisErrorLog } from './redis-error-log.js';

/** What every Redis connection of Herald is told at start. */
export interface RedisConnectionOptions {
  /** Connection name shown in CLIENT LIST, e.g. `herald-gateway`; a subscriber adds `-sub`. */
  name: string;
  /** Start of every key and channel name on this connection (HERALD_REDIS_PREFIX). */
  prefix: string;
  /**
   * How long a command on the command client may wait for its answer
   * (HERALD_REDIS_COMMAND_TIMEOUT_MS). A Redis that stops answering without
   * closing the connection would otherwise hold every POST that publishes
   * or counts a rate limit for as long as it hangs. @default 1000
   */
  commandTimeoutMs?: number;
}

/** HERALD_REDIS_COMMAND_TIMEOUT_MS's default. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 1000;

/** Every connection's connect timeout, so a dead address fails at boot in seconds. */
export const CONNECT_TIMEOUT_MS = 5000;

/**
 * What the one-Redis and the Redis Cluster connection share: the command
 * client, its name and key prefix, readiness, close, and the logging of
 * `error` events of every client it creates (ioredis would otherwise print
 * unhandled ones to stderr, and swallowing them hid outages).
 */
export abstract class BaseRedisConnection<C extends RedisClient> {
  readonly name: string;
  readonly prefix: string;
  /** The longest a request waits on one Redis operation (see withDeadline). */
  readonly commandTimeoutMs: number;

  /** `target` names what the clients connect to, in log lines (credentials are masked there). */
  protected constructor(
    /** The command client: no offline queue, so a command fails at once while Redis is down. */
    readonly client: C,
    { name, prefix, commandTimeoutMs }: RedisConnectionOptions,
    private readonly target: string,
  ) {
    this.name = name;
    this.prefix = prefix;
    this.commandTimeoutMs = commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.logErrors(client, name);
  }

  /** True while commands can be sent. */
  isReady(): boolean {
    return this.client.status === 'ready';
  }

  /** Resolves when the command client is up, or after `timeoutMs` regardless (see whenAllReady). */
  whenReady(timeoutMs: number): Promise<void> {
    return whenAllReady([this.client], timeoutMs);
  }

  /** Closes the command client; subscribers are closed by whoever asked for them. */
  async close(): Promise<void> {
    this.client.disconnect();
  }

  /** Logs `client`'s errors under `name`, rate-limited (see RedisErrorLog). */
  protected logErrors(client: RedisClient, name: string): void {
    const log = new RedisErrorLog(`${name} at ${this.target}`);
    client.on('error', (err: Error) => log.record(err));
    client.on('end', () => log.flush());
  }
}
