// Samples every Herald process (and the harness itself) every `sampleMs`:
// RSS and open descriptors from /proc, used heap from /metrics, with the
// machine's load average, so a reader can tell Herald's drift from a
// neighbour's load.
import { loadavg } from 'node:os';
import { sleep } from '../../harness/wait.mjs';
import { since } from '../../scale-rehearsal/lib/util.mjs';
import { heapUsedBytes, procResources } from './resources.mjs';

export class ResourceSampler {
  samples = [];
  running = false;

  /**
   * @param {{ t0: number, sampleMs: number, processes: () => { name: string, pid: number, ports: number[] }[],
   *   phase: () => string, extra: () => object }} o
   */
  constructor(o) {
    Object.assign(this, o);
  }

  /** Samples until stop(), at most `maxMs` worth. */
  start(maxMs) {
    this.running = true;
    this.loop = (async () => {
      const max = Math.ceil(maxMs / this.sampleMs);
      for (let i = 0; this.running && i < max; i++) {
        const started = performance.now();
        await this.sample();
        // Sleep in short steps so stop() is prompt.
        for (let left = this.sampleMs - (performance.now() - started); this.running && left > 0; left -= 250) await sleep(Math.min(250, left));
      }
      this.running = false;
    })();
  }

  async stop() {
    this.running = false;
    await this.loop;
  }

  async sample() {
    const t = since(this.t0);
    const phase = this.phase();
    const processes = {};
    await Promise.all(
      this.processes().map(async ({ name, pid, ports }) => {
        const held = procResources(pid);
        if (!held) return;
        processes[name] = { ...held, heapUsedBytes: await heapUsedBytes(ports) };
      }),
    );
    const own = process.memoryUsage();
    processes.harness = { rssBytes: own.rss, fds: procResources(process.pid)?.fds, heapUsedBytes: own.heapUsed };
    this.samples.push({ t, phase, load1: +loadavg()[0].toFixed(2), processes, ...this.extra() });
  }
}
