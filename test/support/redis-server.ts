import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { stopChild } from '../../scripts/harness/child-processes.mjs';
import { freePort } from '../../scripts/harness/network.mjs';
import { pollUntil } from '../../scripts/harness/wait.mjs';

/** True when a redis-server on 127.0.0.1:`port` answers PING (one short-lived connection, no retries). */
export async function redisAnswers(port: number): Promise<boolean> {
  const probe = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** A private redis-server on a loopback port that a test may kill, restart or stall. */
export class TestRedisServer {
  private child: ChildProcess | undefined;
  port = 0;

  /** @param options.debugCommand allow DEBUG (SLEEP), off by default since Redis 7 @default false */
  constructor(private readonly options: { debugCommand?: boolean } = {}) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.port ||= await freePort();
    const debug = this.options.debugCommand ? ['--enable-debug-command', 'yes'] : [];
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...debug], { stdio: 'ignore' });
    if (!(await pollUntil(() => redisAnswers(this.port), { timeoutMs: 10_000, intervalMs: 50 }))) throw new Error('redis-server did not start');
    return this;
  }

  /**
   * Freezes the whole server for `ms` (DEBUG SLEEP: every client waits, no
   * connection drops), the way a fork, a swap storm or a long script stalls
   * it; resolves when it answers again. Needs `debugCommand`.
   */
  async stall(ms: number): Promise<void> {
    const client = new Redis({ host: '127.0.0.1', port: this.port, maxRetriesPerRequest: 0 });
    try {
      await client.call('DEBUG', 'SLEEP', String(ms / 1000));
    } finally {
      client.disconnect();
    }
  }

  /** SIGKILL: the crash case, nothing flushed, every connection dropped. */
  async kill(): Promise<void> {
    if (this.child) await stopChild(this.child, 'SIGKILL');
  }
}
