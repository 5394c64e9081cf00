import { readFileSync } from 'node:fs';
import { configSchema } from './config.schema.js';
import { ConfigError, loadConfig } from './load-config.js';

describe('configuration', () => {
  it('documents every variable in the README table', () => {
    const readme = readFileSync('README.md', 'utf8');

    const undocumented = Object.keys(configSchema.shape).filter((name) => !readme.includes(`| \`${name}\` |`));

    expect(undocumented).toEqual([]);
  });

  it('applies the documented defaults', () => {
    const sut = loadConfig({ defaultPort: 3001, env: { HERALD_JWT_SECRET: 's'.repeat(32) } });

    expect(sut).toMatchObject({
      port: 3001,
      redis: { prefix: 'herald:', cluster: false, clusterNodes: [] },
      gateway: { heartbeatMs: 25000, maxConnectionsPerUser: 10, maxFramesPerSecond: 20, maxFrameBytes: 4096, sendBufferBytes: 1048576, drainMs: 10000 },
      http: { bodyLimit: 262144 },
      retentionDays: 30,
    });
  });

  it('applies the documented defaults of the budgets, the pod cap and the metrics port', () => {
    const sut = loadConfig({ defaultPort: 3001, defaultMetricsPort: 9465, env: { HERALD_JWT_SECRET: 's'.repeat(32) } });

    expect(sut).toMatchObject({
      metricsPort: 9465,
      trustedProxies: [],
      gateway: { maxConnections: 50000 },
      limits: { ticketsPerMinute: 60, maxTicketsPerUser: 20, inboxRequestsPerMinute: 600, ipRequestsPerSecond: 2000, ipHandshakesPerMinute: 600 },
    });
    expect(loadConfig({ defaultPort: 1, env: { HERALD_JWT_SECRET: 's'.repeat(32) } }).metricsPort).toBe(0);
  });

  it('partitions by month, two ahead, and reads from the primary alone by default', () => {
    const sut = loadConfig({ defaultPort: 3000, env: { HERALD_JWT_SECRET: 's'.repeat(32) } });

    expect(sut.partitions).toEqual({ period: 'month', ahead: 2 });
    expect(sut.replica).toEqual({ url: undefined, stickyMs: 5000 });
  });

  it('caps the inline audience fan-out at a POST\'s recipient cap', () => {
    const secret = { HERALD_JWT_SECRET: 's'.repeat(32) };

    expect(loadConfig({ defaultPort: 3000, env: { ...secret, HERALD_AUDIENCE_INLINE_MAX: '1000' } }).worker.audienceInlineMax).toBe(1000);
    expect(() => loadConfig({ defaultPort: 3000, env: { ...secret, HERALD_AUDIENCE_INLINE_MAX: '1001' } })).toThrow(/HERALD_AUDIENCE_INLINE_MAX/);
  });

  it('rejects an unknown partition period and a replica without a primary', () => {
    const secret = { HERALD_JWT_SECRET: 's'.repeat(32) };

    expect(() => loadConfig({ defaultPort: 3000, env: { ...secret, HERALD_PARTITION_PERIOD: 'hour' } })).toThrow(/HERALD_PARTITION_PERIOD/);
    expect(() => loadConfig({ defaultPort: 3000, env: { ...secret, DATABASE_REPLICA_URL: 'postgres://127.0.0.1:5433/herald' } })).toThrow(/DATABASE_REPLICA_URL/);
  });

  it('takes trusted proxies as addresses, CIDRs or range names, and nothing else', () => {
    const env = (value: string) => ({ HERALD_JWT_SECRET: 's'.repeat(32), HERALD_TRUSTED_PROXIES: value });

    expect(loadConfig({ defaultPort: 1, env: env('10.0.0.0/8, ::1, uniquelocal') }).trustedProxies).toEqual(['10.0.0.0/8', '::1', 'uniquelocal']);
    expect(() => loadConfig({ defaultPort: 1, env: env('10.0.0.0/8,ingress-nginx') })).toThrow(/HERALD_TRUSTED_PROXIES: not an address, a CIDR or one of loopback, linklocal, uniquelocal: ingress-nginx/);
    expect(() => loadConfig({ defaultPort: 1, env: env('10.0.0.0/33') })).toThrow(/HERALD_TRUSTED_PROXIES/);
  });

  it('refuses to start in production without a key', () => {
    expect(() => loadConfig({ defaultPort: 1, env: { NODE_ENV: 'production' } })).toThrow(ConfigError);
  });

  it('names each bad variable', () => {
    expect(() => loadConfig({ defaultPort: 1, env: { PORT: 'x', HERALD_JWT_SECRET: 'short' } })).toThrow(/PORT[\s\S]*HERALD_JWT_SECRET/);
  });

  it('refuses an empty issuer or audience, which would silently turn the check off', () => {
    const env = { HERALD_JWT_SECRET: 's'.repeat(32), HERALD_JWT_ISSUER: '', HERALD_JWT_AUDIENCE: '' };

    expect(() => loadConfig({ defaultPort: 1, env })).toThrow(/HERALD_JWT_ISSUER[\s\S]*HERALD_JWT_AUDIENCE/);
  });

  it('wants an https JWKS URL outside development and test', () => {
    const env = (NODE_ENV: string, url: string) => ({ NODE_ENV, HERALD_JWT_JWKS_URL: url });

    expect(() => loadConfig({ defaultPort: 1, env: env('production', 'http://idp.test/jwks') })).toThrow(/HERALD_JWT_JWKS_URL: must be an https URL/);
    expect(loadConfig({ defaultPort: 1, env: env('production', 'https://idp.test/jwks') }).jwt.jwksUrl).toBe('https://idp.test/jwks');
    expect(loadConfig({ defaultPort: 1, env: env('test', 'http://127.0.0.1:9/jwks') }).jwt.jwksUrl).toBe('http://127.0.0.1:9/jwks');
  });

  it("knows whether the secret is the operator's or Herald's own dev secret", () => {
    expect(loadConfig({ defaultPort: 1, env: { HERALD_JWT_SECRET: 's'.repeat(32) } }).jwt.secretGenerated).toBe(false);
  });

  it('refuses the placeholder secret the k8s dev overlay commits', () => {
    expect(() => loadConfig({ defaultPort: 1, env: { HERALD_JWT_SECRET: 'replace-me-with-openssl-rand-base64-48' } })).toThrow(/placeholder/);
  });

  it('lets the migration step run without a token key, also in production', () => {
    const sut = loadConfig({ defaultPort: 1, role: 'migrate', env: { NODE_ENV: 'production', DATABASE_URL: 'postgres://h@db:5432/h' } });

    expect(sut.jwt).toMatchObject({ secret: undefined, secretGenerated: false });
  });

  it('splits the origin allow list', () => {
    const sut = loadConfig({ defaultPort: 1, env: { HERALD_JWT_SECRET: 's'.repeat(32), HERALD_ALLOWED_ORIGINS: 'https://a.test, https://b.test' } });

    expect(sut.gateway.allowedOrigins).toEqual(['https://a.test', 'https://b.test']);
  });

  describe('Redis Cluster', () => {
    const env = (extra: Record<string, string>) => ({ HERALD_JWT_SECRET: 's'.repeat(32), ...extra });

    it('reads REDIS_URL as comma-separated seed nodes when HERALD_REDIS_CLUSTER=true', () => {
      const sut = loadConfig({ defaultPort: 1, env: env({ HERALD_REDIS_CLUSTER: 'true', REDIS_URL: 'redis://10.0.0.1:7000, redis://10.0.0.2:7000' }) });

      expect(sut.redis).toEqual({ url: 'redis://10.0.0.1:7000', cluster: true, clusterNodes: ['redis://10.0.0.1:7000', 'redis://10.0.0.2:7000'], prefix: 'herald:', commandTimeoutMs: 1000 });
    });

    it('keeps REDIS_URL one URL otherwise', () => {
      expect(() => loadConfig({ defaultPort: 1, env: env({ REDIS_URL: 'redis://10.0.0.1:7000,redis://10.0.0.2:7000' }) })).toThrow(/REDIS_URL: Invalid URL/);
      expect(loadConfig({ defaultPort: 1, env: env({ REDIS_URL: 'redis://:a,b@10.0.0.1:6379' }) }).redis.url).toBe('redis://:a,b@10.0.0.1:6379');
    });

    it('refuses a cluster without seeds, with a non-Redis or non-zero-database URL, or a prefix with braces', () => {
      const load = (extra: Record<string, string>) => () => loadConfig({ defaultPort: 1, env: env({ HERALD_REDIS_CLUSTER: 'true', ...extra }) });

      expect(load({})).toThrow(/REDIS_URL: HERALD_REDIS_CLUSTER=true needs/);
      expect(load({ REDIS_URL: 'http://u:secret@10.0.0.1:7000' })).toThrow(/REDIS_URL: not a redis:\/\/ or rediss:\/\/ URL: http:\/\/\*\*\*@10/);
      expect(load({ REDIS_URL: 'redis://10.0.0.1:7000/2' })).toThrow(/database 0 only/);
      expect(load({ REDIS_URL: 'redis://10.0.0.1:7000', HERALD_REDIS_PREFIX: '{herald}:' })).toThrow(/HERALD_REDIS_PREFIX: may not contain/);
      expect(() => loadConfig({ defaultPort: 1, env: env({ HERALD_REDIS_CLUSTER: 'yes' }) })).toThrow(/HERALD_REDIS_CLUSTER/);
    });
  });
});
