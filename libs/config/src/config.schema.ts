import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { topicNamespacesSchema } from './topic-namespaces.js';

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const list = z
  .string()
  .optional()
  .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []));

/** REDIS_URL's seed node URLs in cluster mode: split on commas, blanks dropped. */
export function seedUrls(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

const url = z.string().url();

/** A string that may be unset but not empty: an empty check value would silently check nothing. */
const nonEmpty = (name: string) => z.string().min(1, `${name} is set but empty: unset it to turn the check off`);

/**
 * REDIS_URL is one URL, as it always was, unless HERALD_REDIS_CLUSTER=true
 * makes it a list of seed nodes. In cluster mode the prefix may not hold
 * braces: they would become the hash tag of every channel and key and put
 * them all in one slot.
 */
function checkRedis(
  e: { REDIS_URL?: string; HERALD_REDIS_CLUSTER: boolean; HERALD_REDIS_PREFIX: string },
  ctx: z.RefinementCtx,
): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (!e.HERALD_REDIS_CLUSTER) {
    if (e.REDIS_URL !== undefined && !url.safeParse(e.REDIS_URL).success) issue('REDIS_URL', 'Invalid URL');
    return;
  }
  const seeds = seedUrls(e.REDIS_URL);
  if (seeds.length === 0) issue('REDIS_URL', 'HERALD_REDIS_CLUSTER=true needs one or more seed node URLs, comma separated');
  for (const seed of seeds) {
    const parsed = url.safeParse(seed).success ? new URL(seed) : undefined;
    if (!parsed || !['redis:', 'rediss:'].includes(parsed.protocol)) issue('REDIS_URL', `not a redis:// or rediss:// URL: ${seed.replace(/\/\/[^@/]*@/, '//***@')}`);
    else if (!['', '/', '/0'].includes(parsed.pathname)) issue('REDIS_URL', 'Redis Cluster has database 0 only');
  }
  if (/[{}]/.test(e.HERALD_REDIS_PREFIX)) issue('HERALD_REDIS_PREFIX', 'may not contain { or } with HERALD_REDIS_CLUSTER=true');
}

/** A replica of nothing: the embedded PGlite has no replicas, so a replica URL without DATABASE_URL is a mistake. */
function checkReplica(e: { DATABASE_URL?: string; DATABASE_REPLICA_URL?: string }, ctx: z.RefinementCtx): void {
  if (e.DATABASE_REPLICA_URL && !e.DATABASE_URL) {
    ctx.addIssue({ code: 'custom', path: ['DATABASE_REPLICA_URL'], message: 'needs DATABASE_URL: the embedded database has no replicas' });
  }
}

/** Names proxy-addr knows for whole ranges (127.0.0.0/8 and ::1; link-local; private and unique-local). */
export const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'] as const;

/** HERALD_TRUSTED_PROXIES entries: addresses, CIDRs or a range name; anything else is a startup error. */
function checkTrustedProxies(e: { HERALD_TRUSTED_PROXIES: string[] }, ctx: z.RefinementCtx): void {
  for (const entry of e.HERALD_TRUSTED_PROXIES) {
    if ((PROXY_RANGE_NAMES as readonly string[]).includes(entry) || ipaddr.isValid(entry) || ipaddr.isValidCIDR(entry)) continue;
    ctx.addIssue({ code: 'custom', path: ['HERALD_TRUSTED_PROXIES'], message: `not an address, a CIDR or one of ${PROXY_RANGE_NAMES.join(', ')}: ${entry}` });
  }
}

/** Keys fetched over plain http could be swapped in transit: only development and test may. */
function checkJwks(e: { NODE_ENV: string; HERALD_JWT_JWKS_URL?: string }, ctx: z.RefinementCtx): void {
  if (!e.HERALD_JWT_JWKS_URL || e.NODE_ENV === 'development' || e.NODE_ENV === 'test') return;
  if (new URL(e.HERALD_JWT_JWKS_URL).protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', path: ['HERALD_JWT_JWKS_URL'], message: 'must be an https URL outside development and test' });
  }
}

/** Half a key pair is a mistake, not a choice: refuse it. */
function checkVapid(e: { HERALD_VAPID_PUBLIC_KEY?: string; HERALD_VAPID_PRIVATE_KEY?: string }, ctx: z.RefinementCtx): void {
  if ((e.HERALD_VAPID_PUBLIC_KEY === undefined) !== (e.HERALD_VAPID_PRIVATE_KEY === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['HERALD_VAPID_PRIVATE_KEY'], message: 'HERALD_VAPID_PUBLIC_KEY and HERALD_VAPID_PRIVATE_KEY are set together' });
  }
}

/**
 * Every environment variable Herald reads, with its default. This file is the
 * single source of truth for the README's configuration table.
 */
export const configSchema = z.object({
  /** `production` makes a missing JWT key a startup error. @default development */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Listening port. @default 3000 (api, embedded), 3001 (gateway) */
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Listening address. @default 127.0.0.1 (embedded: a laptop's dev server); every interface (api, gateway: containers) */
  HERALD_HOST: z.string().min(1).optional(),
  /** Postgres URL. Unset in embedded mode: PGlite under `.herald/pgdata`. */
  DATABASE_URL: z.string().url().optional(),
  /** Postgres pool size per process. @default 10 */
  DATABASE_POOL_SIZE: int(10, 1),
  /** Streaming read replica of DATABASE_URL for inbox lists and unread counts; unset: every read on the primary. */
  DATABASE_REPLICA_URL: z.string().url().optional(),
  /** After a user's inbox write, their reads stay on the primary this long, ms (read-your-writes). @default 5000 */
  HERALD_REPLICA_STICKY_MS: int(5_000, 100),
  /** Redis URL; with HERALD_REDIS_CLUSTER, seed node URLs, comma separated. Unset in embedded mode: an in-process bus. */
  REDIS_URL: z.string().min(1).optional(),
  /** `true`: REDIS_URL names Redis Cluster seed nodes; user channels use sharded pub/sub. @default false */
  HERALD_REDIS_CLUSTER: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Prefix of every Redis key and channel. @default herald: */
  HERALD_REDIS_PREFIX: z.string().min(1).default('herald:'),
  /** Longest wait for an answer to a Redis command (publish, rate-limit count, ticket), ms. @default 1000 */
  HERALD_REDIS_COMMAND_TIMEOUT_MS: int(1000, 50),
  /** HS256 secret (at least 32 characters). */
  HERALD_JWT_SECRET: z.string().min(32).optional(),
  /** JWKS URL for RS256/ES256 tokens from an identity provider; https outside development and test. */
  HERALD_JWT_JWKS_URL: z.string().url().optional(),
  /** Required `iss` when set. Set but empty is an error: it would turn the check off unnoticed. */
  HERALD_JWT_ISSUER: nonEmpty('HERALD_JWT_ISSUER').optional(),
  /** Required `aud` when set. Set but empty is an error, as for the issuer. */
  HERALD_JWT_AUDIENCE: nonEmpty('HERALD_JWT_AUDIENCE').optional(),
  /** Longest accepted token lifetime (`exp - iat`) in seconds; tokens then need `iat`. Unset: no limit. */
  HERALD_JWT_MAX_LIFETIME_SECONDS: z.coerce.number().int().min(60).optional(),
  /**
   * Peers whose X-Forwarded-For is believed (your proxies), comma separated:
   * addresses, CIDRs, or `loopback`, `linklocal`, `uniquelocal`. Unset: none,
   * the client address is the socket peer's.
   */
  HERALD_TRUSTED_PROXIES: list,
  /** Port of the separate /metrics listener; 0 turns it off. @default 9464 (api, embedded), 9465 (gateway) */
  HERALD_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Allowed browser origins, comma separated; empty allows any. */
  HERALD_ALLOWED_ORIGINS: list,
  /** Server WebSocket ping interval in ms. @default 25000 */
  HERALD_HEARTBEAT_MS: int(25_000, 100),
  /** Sockets one gateway holds at most; the next handshake closes with 1013. @default 50000 */
  HERALD_MAX_CONNECTIONS: int(50_000, 1),
  /** Sockets one user may hold on one gateway. @default 10 */
  HERALD_MAX_CONNECTIONS_PER_USER: int(10, 1),
  /** Inbound frames per second per socket. @default 20 */
  HERALD_MAX_FRAMES_PER_SECOND: int(20, 1),
  /** Largest inbound frame in bytes. @default 4096 */
  HERALD_MAX_FRAME_BYTES: int(4096, 64),
  /** Send buffer per socket before closing it as a slow consumer, bytes. @default 1048576 */
  HERALD_SEND_BUFFER_BYTES: int(1024 * 1024, 1024),
  /** Largest HTTP body in bytes. @default 262144 */
  HERALD_HTTP_BODY_LIMIT: int(256 * 1024, 1024),
  /** Requests per second one service token may make to the publish routes. @default 1000 */
  HERALD_PUBLISH_RATE_PER_SECOND: int(1000, 1),
  /** Socket tickets one user may take per minute, across api replicas. @default 60 */
  HERALD_TICKETS_PER_MINUTE: int(60, 1),
  /** Issued and not yet used tickets one user may hold. @default 20 */
  HERALD_MAX_TICKETS_PER_USER: int(20, 1),
  /** Inbox requests (list, count, read, unread, read-all, delete) one user may make per minute. @default 600 */
  HERALD_INBOX_REQUESTS_PER_MINUTE: int(600, 1),
  /** HTTP requests one client address may make per second, across api replicas; 0 turns it off. @default 2000 */
  HERALD_IP_REQUESTS_PER_SECOND: int(2000, 0),
  /** Socket handshakes one client address may make per minute, across gateways; 0 turns it off. @default 600 */
  HERALD_IP_HANDSHAKES_PER_MINUTE: int(600, 0),
  /** Days a notification is kept. @default 30 */
  HERALD_RETENTION_DAYS: int(30, 1),
  /** How often the api deletes expired and old rows, ms; 0 turns the timer off. @default 60000 */
  HERALD_RETENTION_INTERVAL_MS: int(60_000, 0),
  /** Time span of one `notifications` partition (UTC boundaries; weeks start on Monday). @default month */
  HERALD_PARTITION_PERIOD: z.enum(['day', 'week', 'month']).default('month'),
  /** Partitions the api keeps created ahead of the current one. @default 2 */
  HERALD_PARTITIONS_AHEAD: int(2, 1),
  /** A POST with a groupKey joins the recipient's unread entry with that key created within this many seconds; 0 turns grouping off. @default 3600 */
  HERALD_INBOX_GROUP_WINDOW_SECONDS: z.coerce.number().int().min(0).max(30 * 86_400).default(3600),
  /** How often the worker wakes snoozed notifications whose time has come, ms (one replica at a time); 0 turns it off. @default 1000 */
  HERALD_INBOX_WAKE_INTERVAL_MS: int(1000, 0),
  /** How often a gateway reports its counts; a gateway silent for longer is dead. @default 5000 */
  HERALD_REPORT_INTERVAL_MS: int(5_000, 100),
  /** Time over which a draining gateway spreads its closes, ms. @default 10000 */
  HERALD_DRAIN_MS: int(10_000, 0),
  /** How long a stored Idempotency-Key answers replays, hours. @default 24 */
  HERALD_IDEMPOTENCY_TTL_HOURS: int(24, 1),
  /** Events kept per topic, unless its namespace says otherwise. @default 1000 */
  HERALD_TOPIC_HISTORY_SIZE: int(1000, 1),
  /** Seconds a topic event is kept, unless its namespace says otherwise. @default 86400 */
  HERALD_TOPIC_HISTORY_TTL_SECONDS: int(86_400, 1),
  /** Per-namespace topic options as JSON: historySize, historyTtlSeconds, live, patterns. @default {} */
  HERALD_TOPIC_NAMESPACES: topicNamespacesSchema,
  /** Topics (and patterns) one socket may follow. @default 100 */
  HERALD_MAX_TOPICS_PER_SOCKET: int(100, 1),
  /** subscribe / unsubscribe frames per second per socket; more are refused with an error frame. @default 10 */
  HERALD_MAX_SUBSCRIBES_PER_SECOND: int(10, 1),
  /** Directory for embedded state (PGlite data, dev secret). @default .herald */
  HERALD_DATA_DIR: z.string().default('.herald'),
  /** Worker: jobs of one kind run at once per worker process. @default 10 */
  HERALD_WORKER_CONCURRENCY: int(10, 1),
  /** Worker: how often the outbox is drained into the job queue when it was empty, ms. @default 200 */
  HERALD_OUTBOX_POLL_MS: int(200, 10),
  /** Let push endpoints and webhook URLs be http:// or resolve to loopback, private or link-local addresses (tests, local development). @default false */
  HERALD_ALLOW_PRIVATE_ENDPOINTS: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Web Push VAPID public key (base64url, uncompressed P-256 point). Unset in development: generated into the data dir; elsewhere unset turns Web Push off. */
  HERALD_VAPID_PUBLIC_KEY: z.string().min(80).optional(),
  /** Web Push VAPID private key (base64url, 32 bytes). Set together with the public key. */
  HERALD_VAPID_PRIVATE_KEY: z.string().min(40).optional(),
  /** Contact sent to push services in the VAPID JWT (`mailto:` or `https:` URL). @default mailto:push@herald.invalid */
  HERALD_VAPID_SUBJECT: z.string().regex(/^(mailto:|https:\/\/)/, 'must be a mailto: or https:// URL').default('mailto:push@herald.invalid'),
  /** A user with a live socket is pushed only if the notification is still unseen after this long, ms. @default 30000 */
  HERALD_PUSH_DELAY_MS: int(30_000, 0),
  /** First retry delay of a push or webhook job, seconds; later ones back off exponentially (capped at an hour). @default 30 */
  HERALD_RETRY_DELAY_SECONDS: int(30, 1),
  /** How long a webhook delivery is retried before its endpoint is disabled, seconds. @default 86400 */
  HERALD_WEBHOOK_RETRY_WINDOW_SECONDS: int(86_400, 1),
  /**
   * Most audience members a POST fans out inside the request; above it a job does (202). @default 1000
   * At most 1000, a POST's own recipient cap: the inline fan-out is one ingest inside the request, and a larger one would hold the request and its transaction for as long as it takes.
   */
  HERALD_AUDIENCE_INLINE_MAX: int(1000, 0).pipe(z.number().max(1000)),
  /** pino level. @default info */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
}).superRefine(checkRedis).superRefine(checkJwks).superRefine(checkTrustedProxies).superRefine(checkVapid).superRefine(checkReplica);

export type RawConfig = z.infer<typeof configSchema>;
