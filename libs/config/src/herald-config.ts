import type { RawConfig } from './config.schema.js';
import type { TopicsConfig } from './topic-namespaces.js';

/** The validated, typed configuration every module receives by injection. */
export interface HeraldConfig {
  env: RawConfig['NODE_ENV'];
  port: number;
  /** Address the HTTP server listens on; undefined: every interface (IPv4 and IPv6). */
  host: string | undefined;
  /** Port of the separate /metrics listener (same host); 0: no metrics listener. */
  metricsPort: number;
  /** Peers whose X-Forwarded-For is believed: addresses, CIDRs, range names (proxy-addr's). Empty: none. */
  trustedProxies: string[];
  database: { url: string | undefined; poolSize: number; dataDir: string };
  redis: {
    /** REDIS_URL; in cluster mode its first seed node. Unset: the in-process bus. */
    url: string | undefined;
    /** HERALD_REDIS_CLUSTER: use a Redis Cluster with sharded pub/sub for user channels. */
    cluster: boolean;
    /** Every seed node URL in cluster mode; empty otherwise. */
    clusterNodes: string[];
    prefix: string;
    /** Longest wait for a command's answer on the command connection, ms. */
    commandTimeoutMs: number;
  };
  jwt: {
    /** HS256 secret; generated and kept under the data dir in dev mode. */
    secret: string | undefined;
    /**
     * True when `secret` is Herald's own dev secret from the data dir rather
     * than the operator's: only then may Herald mint tokens itself (the
     * demo page's dev tokens, the banner of `npm start`).
     */
    secretGenerated: boolean;
    jwksUrl: string | undefined;
    issuer: string | undefined;
    audience: string | undefined;
    /** Longest `exp - iat` accepted, seconds; undefined: no limit. */
    maxLifetimeSeconds: number | undefined;
  };
  gateway: {
    allowedOrigins: string[];
    heartbeatMs: number;
    /** Sockets this gateway admits at once; the next handshake closes with 1013. */
    maxConnections: number;
    maxConnectionsPerUser: number;
    maxFramesPerSecond: number;
    maxFrameBytes: number;
    sendBufferBytes: number;
    drainMs: number;
    /** Report cadence for stats and presence; readers drop a gateway silent for longer. */
    reportIntervalMs: number;
  };
  http: { bodyLimit: number; publishRatePerSecond: number };
  /** Budgets counted in Redis across replicas (see RateLimits in @herald/bus); 0 turns a per-address one off. */
  limits: {
    ticketsPerMinute: number;
    /** Issued, unused tickets per user. */
    maxTicketsPerUser: number;
    inboxRequestsPerMinute: number;
    ipRequestsPerSecond: number;
    ipHandshakesPerMinute: number;
  };
  retentionDays: number;
  /** Period of the retention run; 0 disables the timer. */
  retentionIntervalMs: number;
  inbox: {
    /** Grouping window of a groupKey, seconds; 0: no grouping. */
    groupWindowSeconds: number;
    /** Period of the snooze waker (worker); 0 disables it. */
    wakeIntervalMs: number;
  };
  idempotencyTtlHours: number;
  /** Topic history and limits (HERALD_TOPIC_* and the per-socket topic limits). */
  topics: TopicsConfig;
  logLevel: RawConfig['LOG_LEVEL'];
  worker: {
    concurrency: number;
    outboxPollMs: number;
    /** Push endpoints and webhook URLs may be http:// and private addresses (tests, local development). */
    allowPrivateEndpoints: boolean;
    /** Undefined in production without keys: Web Push is off. */
    vapid: { publicKey: string; privateKey: string; subject: string } | undefined;
    pushDelayMs: number;
    retryDelaySeconds: number;
    webhookRetryWindowSeconds: number;
    audienceInlineMax: number;
  };
}

/** Injection token for HeraldConfig. */
export const HERALD_CONFIG = Symbol('HERALD_CONFIG');
