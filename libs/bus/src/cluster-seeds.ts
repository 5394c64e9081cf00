import type { RedisOptions } from 'ioredis';

/** What ioredis's Cluster needs from REDIS_URL's seed node URLs. */
export interface ClusterSeeds {
  nodes: { host: string; port: number }[];
  /** Credentials and TLS for every node, including those discovered later. */
  redisOptions: Pick<RedisOptions, 'username' | 'password' | 'tls'>;
}

/**
 * Splits seed URLs into startup nodes and connection options. ioredis
 * connects to discovered nodes with `redisOptions`, not with a seed's URL, so
 * credentials and TLS come from the first URL and apply to the whole cluster
 * (config validation has already checked every URL's scheme).
 */
export function clusterSeeds(urls: string[]): ClusterSeeds {
  const parsed = urls.map((u) => new URL(u));
  const first = parsed[0];
  const redisOptions: ClusterSeeds['redisOptions'] = {};
  if (first?.username) redisOptions.username = decodeURIComponent(first.username);
  if (first?.password) redisOptions.password = decodeURIComponent(first.password);
  if (first?.protocol === 'rediss:') redisOptions.tls = {};
  return {
    // URL keeps an IPv6 host's brackets; a socket address has none.
    nodes: parsed.map((u) => ({ host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(u.port || 6379) })),
    redisOptions,
  };
}
