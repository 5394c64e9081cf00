import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema, seedUrls, type RawConfig } from './config.schema.js';
import type { HeraldConfig } from './herald-config.js';

export class ConfigError extends Error {}

export interface LoadConfigOptions {
  /** Port when PORT is unset. */
  defaultPort: number;
  /** Listening address when HERALD_HOST is unset; undefined: every interface, IPv4 and IPv6. */
  defaultHost?: string;
  /** Metrics port when HERALD_METRICS_PORT is unset. @default 0 (no metrics listener) */
  defaultMetricsPort?: number;
  /** Environment to read; process.env unless a test passes its own. */
  env?: NodeJS.ProcessEnv;
  /**
   * `migrate` needs the database only: no token key is required or
   * generated, so the migration step can run without the JWT secret.
   * @default app
   */
  role?: 'app' | 'migrate';
}

/**
 * A secret that still carries the placeholder marker of the committed
 * examples (the k8s dev overlay): a cluster deployed as committed must not
 * start with a key everyone who cloned the repo knows.
 */
const PLACEHOLDER_SECRET = /replace-me/i;

/**
 * Reads and validates the environment once. This is the only place in Herald
 * that touches process.env; everything else receives the typed result.
 */
export function loadConfig({ defaultPort, defaultHost, defaultMetricsPort = 0, env = process.env, role = 'app' }: LoadConfigOptions): HeraldConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  let secret = e.HERALD_JWT_SECRET;
  if (secret && PLACEHOLDER_SECRET.test(secret)) {
    throw new ConfigError('HERALD_JWT_SECRET is the committed placeholder: set a random one (openssl rand -base64 48)');
  }
  const secretGenerated = role === 'app' && !secret && !e.HERALD_JWT_JWKS_URL;
  if (secretGenerated) {
    if (e.NODE_ENV === 'production') {
      throw new ConfigError('HERALD_JWT_SECRET or HERALD_JWT_JWKS_URL is required when NODE_ENV=production');
    }
    secret = devSecret(e.HERALD_DATA_DIR);
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT ?? defaultPort,
    host: e.HERALD_HOST ?? defaultHost,
    metricsPort: e.HERALD_METRICS_PORT ?? defaultMetricsPort,
    trustedProxies: e.HERALD_TRUSTED_PROXIES,
    database: { url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE, dataDir: e.HERALD_DATA_DIR },
    redis: redisConfig(e),
    jwt: {
      secret,
      secretGenerated,
      jwksUrl: e.HERALD_JWT_JWKS_URL,
      issuer: e.HERALD_JWT_ISSUER,
      audience: e.HERALD_JWT_AUDIENCE,
      maxLifetimeSeconds: e.HERALD_JWT_MAX_LIFETIME_SECONDS,
    },
    gateway: {
      allowedOrigins: e.HERALD_ALLOWED_ORIGINS,
      heartbeatMs: e.HERALD_HEARTBEAT_MS,
      maxConnections: e.HERALD_MAX_CONNECTIONS,
      maxConnectionsPerUser: e.HERALD_MAX_CONNECTIONS_PER_USER,
      maxFramesPerSecond: e.HERALD_MAX_FRAMES_PER_SECOND,
      maxFrameBytes: e.HERALD_MAX_FRAME_BYTES,
      sendBufferBytes: e.HERALD_SEND_BUFFER_BYTES,
      drainMs: e.HERALD_DRAIN_MS,
      reportIntervalMs: e.HERALD_REPORT_INTERVAL_MS,
    },
    http: { bodyLimit: e.HERALD_HTTP_BODY_LIMIT, publishRatePerSecond: e.HERALD_PUBLISH_RATE_PER_SECOND },
    limits: {
      ticketsPerMinute: e.HERALD_TICKETS_PER_MINUTE,
      maxTicketsPerUser: e.HERALD_MAX_TICKETS_PER_USER,
      inboxRequestsPerMinute: e.HERALD_INBOX_REQUESTS_PER_MINUTE,
      ipRequestsPerSecond: e.HERALD_IP_REQUESTS_PER_SECOND,
      ipHandshakesPerMinute: e.HERALD_IP_HANDSHAKES_PER_MINUTE,
    },
    retentionDays: e.HERALD_RETENTION_DAYS,
    retentionIntervalMs: e.HERALD_RETENTION_INTERVAL_MS,
    inbox: { groupWindowSeconds: e.HERALD_INBOX_GROUP_WINDOW_SECONDS, wakeIntervalMs: e.HERALD_INBOX_WAKE_INTERVAL_MS },
    idempotencyTtlHours: e.HERALD_IDEMPOTENCY_TTL_HOURS,
    topics: {
      historySize: e.HERALD_TOPIC_HISTORY_SIZE,
      historyTtlSeconds: e.HERALD_TOPIC_HISTORY_TTL_SECONDS,
      namespaces: e.HERALD_TOPIC_NAMESPACES,
      maxPerSocket: e.HERALD_MAX_TOPICS_PER_SOCKET,
      subscribesPerSecond: e.HERALD_MAX_SUBSCRIBES_PER_SECOND,
    },
    logLevel: e.LOG_LEVEL,
    worker: {
      concurrency: e.HERALD_WORKER_CONCURRENCY,
      outboxPollMs: e.HERALD_OUTBOX_POLL_MS,
      allowPrivateEndpoints: e.HERALD_ALLOW_PRIVATE_ENDPOINTS,
      vapid: vapidKeys(e, role),
      pushDelayMs: e.HERALD_PUSH_DELAY_MS,
      retryDelaySeconds: e.HERALD_RETRY_DELAY_SECONDS,
      webhookRetryWindowSeconds: e.HERALD_WEBHOOK_RETRY_WINDOW_SECONDS,
      audienceInlineMax: e.HERALD_AUDIENCE_INLINE_MAX,
    },
  };
}

/**
 * The configured VAPID pair; in development without one, a pair generated
 * once into the data dir (as the dev JWT secret is), so browser
 * subscriptions survive restarts. Otherwise no keys: Web Push is off.
 */
function vapidKeys(e: RawConfig, role: 'app' | 'migrate'): HeraldConfig['worker']['vapid'] {
  const subject = e.HERALD_VAPID_SUBJECT;
  if (e.HERALD_VAPID_PUBLIC_KEY && e.HERALD_VAPID_PRIVATE_KEY) {
    return { publicKey: e.HERALD_VAPID_PUBLIC_KEY, privateKey: e.HERALD_VAPID_PRIVATE_KEY, subject };
  }
  if (role !== 'app' || e.NODE_ENV !== 'development') return undefined;
  const file = join(e.HERALD_DATA_DIR, 'vapid.json');
  if (existsSync(file)) return { ...(JSON.parse(readFileSync(file, 'utf8')) as { publicKey: string; privateKey: string }), subject };
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pub = publicKey.export({ format: 'jwk' });
  const keys = {
    publicKey: Buffer.concat([Buffer.from([4]), Buffer.from(pub.x as string, 'base64url'), Buffer.from(pub.y as string, 'base64url')]).toString('base64url'),
    privateKey: privateKey.export({ format: 'jwk' }).d as string,
  };
  mkdirSync(e.HERALD_DATA_DIR, { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return { ...keys, subject };
}

/** One Redis, or a Redis Cluster reached through its seed nodes (already validated). */
function redisConfig(e: RawConfig): HeraldConfig['redis'] {
  const clusterNodes = e.HERALD_REDIS_CLUSTER ? seedUrls(e.REDIS_URL) : [];
  const url = e.HERALD_REDIS_CLUSTER ? clusterNodes[0] : e.REDIS_URL;
  return { url, cluster: e.HERALD_REDIS_CLUSTER, clusterNodes, prefix: e.HERALD_REDIS_PREFIX, commandTimeoutMs: e.HERALD_REDIS_COMMAND_TIMEOUT_MS };
}

/** A random HS256 secret generated once per data dir, so dev tokens survive restarts. */
function devSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
