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

/** A private redis-server on a loopback port that a test may kill and restart. */
export class TestRedisServer {
  private child: ChildProcess | undefined;
  port = 0;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.port ||= await freePort();
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    if (!(await pollUntil(() => redisAnswers(this.port), { timeoutMs: 10_000, intervalMs: 50 }))) throw new Error('redis-server did not start');
    return this;
  }

  /** SIGKILL: the crash case, nothing flushed, every connection dropped. */
  async kill(): Promise<void> {
    if (this.child) await stopChild(this.child, 'SIGKILL');
  }
}
