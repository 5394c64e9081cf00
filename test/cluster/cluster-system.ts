import { userChannel } from '@herald/contracts';
import { TestRedisCluster } from '../support/redis-cluster.js';
import { startTestSystem, type TestSystem, type TestSystemOptions } from '../support/test-system.js';

/** A fresh three-master cluster and the system under test configured for it. */
export interface ClusterSystem {
  cluster: TestRedisCluster;
  sys: TestSystem;
  close(): Promise<void>;
}

export async function startClusterSystem(options: TestSystemOptions = {}): Promise<ClusterSystem> {
  const cluster = await new TestRedisCluster(3).start();
  try {
    const sys = await startTestSystem({ ...options, env: { REDIS_URL: cluster.url, HERALD_REDIS_CLUSTER: 'true', ...options.env } });
    return {
      cluster,
      sys,
      close: async () => {
        await sys.close();
        await cluster.stop();
      },
    };
  } catch (err) {
    await cluster.stop();
    throw err;
  }
}

/**
 * `perNode` user ids (or other keys: `channelOf` names their channel) for
 * each master, by asking the cluster which master owns each candidate's
 * channel. Bounded: 300 candidates at most.
 */
export async function usersOnEveryNode(
  cluster: TestRedisCluster,
  prefix: string,
  stem: string,
  perNode: number,
  channelOf: (key: string, prefix: string) => string = userChannel,
): Promise<Map<number, string[]>> {
  const byPort = new Map(cluster.ports.map((p) => [p, [] as string[]]));
  for (let i = 0; i < 300 && [...byPort.values()].some((users) => users.length < perNode); i++) {
    const userId = `${stem}-${i}`;
    const users = byPort.get(await cluster.ownerOf(channelOf(userId, prefix)));
    if (users && users.length < perNode) users.push(userId);
  }
  if ([...byPort.values()].some((users) => users.length < perNode)) throw new Error('could not spread users over every master');
  return byPort;
}
