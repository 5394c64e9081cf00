import type { Cluster, Redis } from 'ioredis';

/** Where this process starts looking among the masters: replicas spread over them, each keeping to its own. */
const START = Math.random();
/** Each cluster client's pick, kept while it stays listed and ready: ioredis re-adds a returning node at the end of its list, which would move an offset. */
const chosen = new WeakMap<Cluster, Redis>();

/**
 * Where to send a classic PUBLISH on a cluster: a master whose connection
 * is open, or the cluster client when none is (its own error then).
 *
 * ioredis sends a command without a key to a random node of its pool and,
 * with the offline queue off, fails it at once when that node's connection
 * is still opening. Right after a master comes back, a sharded publish to
 * its slot makes ioredis reopen it, and a broadcast sent next failed with a
 * 503 about one time in three while the other masters were up. Every node
 * forwards a classic PUBLISH to the whole cluster, so any ready one will do.
 * The same one while it stays ready keeps successive multicasts in order,
 * which random nodes did not (the gateways' gap fill mended that, at a read
 * each); each process starts at its own place in the list, so api replicas
 * do not all pick the same master.
 */
export function readyMaster(cluster: Cluster): Cluster | Redis {
  const masters = cluster.nodes('master');
  const kept = chosen.get(cluster);
  if (kept && kept.status === 'ready' && masters.includes(kept)) return kept;
  const from = Math.floor(START * masters.length);
  for (let i = 0; i < masters.length; i++) {
    const node = masters[(from + i) % masters.length];
    if (node.status === 'ready') {
      chosen.set(cluster, node);
      return node;
    }
  }
  return cluster;
}
