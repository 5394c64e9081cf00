import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { stopChild } from '../../scripts/harness/child-processes.mjs';
import { freePort } from '../../scripts/harness/network.mjs';
import { removeDir, tempDir } from '../../scripts/harness/paths.mjs';
import { waitUntil } from '../../scripts/harness/wait.mjs';
import { redisAnswers } from './redis-server.js';

const run = promisify(execFile);
/** How often the cluster is polled while it forms or heals. */
const POLL_MS = 50;

/** One master: its client port and its cluster bus port. */
interface ClusterNodeProcess {
  port: number;
  busPort: number;
  child?: ChildProcess;
}

/**
 * A real Redis Cluster of `size` masters (no replicas) on loopback ports,
 * created from scratch in a temporary directory. Bus ports are allocated
 * explicitly (`--cluster-port`): the default, port + 10000, may be taken or
 * past 65535 for an ephemeral port.
 */
export class TestRedisCluster {
  private readonly nodes: ClusterNodeProcess[] = [];
  private dir = '';
  private readonly clients = new Map<number, Redis>();

  constructor(private readonly size = 3) {}

  /** Every master's URL, comma separated: the value of REDIS_URL in cluster mode. */
  get url(): string {
    return this.ports.map((p) => `redis://127.0.0.1:${p}`).join(',');
  }

  get ports(): number[] {
    return this.nodes.map((n) => n.port);
  }

  async start(): Promise<this> {
    this.dir = tempDir('herald-cluster');
    const taken = new Set<number>();
    while (this.nodes.length < this.size) {
      const [port, busPort] = [await freePort(), await freePort()];
      if (port === busPort || taken.has(port) || taken.has(busPort)) continue;
      taken.add(port).add(busPort);
      this.nodes.push({ port, busPort });
    }
    await Promise.all(this.nodes.map((n) => this.spawnNode(n)));
    const addresses = this.ports.map((p) => `127.0.0.1:${p}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
    await this.waitUntilOk('cluster_state:ok');
    return this;
  }

  /** SIGKILL masters: the crash case, every connection to them dropped. */
  async stopNodes(ports: number[]): Promise<void> {
    for (const port of ports) this.dropClient(port);
    await Promise.all(ports.map((port) => this.killNode(this.node(port))));
  }

  /**
   * Starts stopped masters again on the same ports. They rejoin from their
   * nodes.conf with the same slots, and no data (nothing is persisted).
   */
  async startNodes(ports: number[]): Promise<void> {
    await Promise.all(ports.map((port) => this.spawnNode(this.node(port))));
    await this.waitUntilOk('cluster_state:ok after restart');
  }

  /** A plain connection to one master, for assertions (CLUSTER, PUBSUB SHARDNUMSUB). */
  client(port: number): Redis {
    let client = this.clients.get(port);
    if (!client) {
      client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => null });
      client.on('error', () => undefined);
      this.clients.set(port, client);
    }
    return client;
  }

  async keySlot(key: string): Promise<number> {
    return Number(await this.client(this.ports[0]).cluster('KEYSLOT', key));
  }

  /** The port of the master that owns `key`'s slot, from CLUSTER SLOTS. */
  async ownerOf(key: string): Promise<number> {
    const slot = await this.keySlot(key);
    const ranges = await this.client(this.ports[0]).cluster('SLOTS');
    const [, , master] = ranges.find(([from, to]) => slot >= from && slot <= to) ?? [];
    if (!master) throw new Error(`no master owns slot ${slot}`);
    return Number(master[1]);
  }

  /** Sharded subscribers of `channel` on the master that owns it. */
  async shardNumSub(channel: string): Promise<number> {
    const reply = (await this.client(await this.ownerOf(channel)).pubsub('SHARDNUMSUB', channel)) as unknown[];
    return Number(reply[1]);
  }

  async stop(): Promise<void> {
    for (const port of [...this.clients.keys()]) this.dropClient(port);
    await Promise.all(this.nodes.map((n) => this.killNode(n)));
    if (this.dir) removeDir(this.dir);
  }

  private async spawnNode(node: ClusterNodeProcess): Promise<void> {
    const args = [
      '--port', String(node.port),
      '--bind', '127.0.0.1',
      '--cluster-enabled', 'yes',
      '--cluster-port', String(node.busPort),
      '--cluster-config-file', join(this.dir, `nodes-${node.port}.conf`),
      '--save', '',
      '--appendonly', 'no',
      '--dir', this.dir,
    ];
    node.child = spawn('redis-server', args, { stdio: 'ignore' });
    await waitUntil(() => redisAnswers(node.port), { timeoutMs: 10_000, intervalMs: POLL_MS, what: `redis-server on ${node.port}` });
  }

  private async killNode(node: ClusterNodeProcess): Promise<void> {
    const child = node.child;
    node.child = undefined;
    if (child) await stopChild(child, 'SIGKILL');
  }

  /** Every master reports cluster_state:ok and knows all the others; bounded at 20 s. */
  private async waitUntilOk(what: string): Promise<void> {
    await waitUntil(async () => (await Promise.all(this.ports.map((p) => this.isOk(p)))).every(Boolean), { timeoutMs: 20_000, intervalMs: POLL_MS, what });
  }

  private async isOk(port: number): Promise<boolean> {
    try {
      const info = String(await this.client(port).cluster('INFO'));
      return info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${this.size}`);
    } catch {
      this.dropClient(port);
      return false;
    }
  }

  private node(port: number): ClusterNodeProcess {
    const node = this.nodes.find((n) => n.port === port);
    if (!node) throw new Error(`no node on ${port}`);
    return node;
  }

  private dropClient(port: number): void {
    this.clients.get(port)?.disconnect();
    this.clients.delete(port);
  }
}
