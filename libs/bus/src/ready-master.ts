import type { Cluster, Redis } from 'ioredis';

/**
 * Where to send a classic PUBLISH on a cluster: the first master, in the
 * pool's order, whose connection is open; the cluster client when none is
 * (its own error then).
 *
 * ioredis sends a command without a key to a random node of its pool and,
 * with the offline queue off, fails it at once when that node's connection
 * is still opening. Right after a master comes back, a sharded publish to
 * its slot makes ioredis reopen it, and a broadcast sent next failed with a
 * 503 about one time in three while the other masters were up. Every node
 * forwards a classic PUBLISH to the whole cluster, so any ready one will do;
 * the same one while it stays ready keeps successive multicasts in order,
 * which random nodes did not (the gateways' gap fill mended that, at a read
 * each).
 */
export function readyMaster(cluster: Cluster): Cluster | Redis {
  return cluster.nodes('master').find((node) => node.status === 'ready') ?? cluster;
}
