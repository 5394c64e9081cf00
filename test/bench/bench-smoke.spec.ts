// Smoke test of the benchmark harness (bench/run.mjs): a tiny load against
// real processes, written to a temp dir, docs untouched. It checks that the
// run finished and reported every figure with finite numbers; the numbers
// themselves are never asserted (they belong in docs/benchmarks.md).
// Needs dist/ (npm test builds it first) and Postgres + Redis on 127.0.0.1.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// The tiny profile runs every scenario, the worker's included (about 15 s of it on a loaded machine) and the publish path (about 10 s, POST → socket another 20).
const RUN_TIMEOUT_MS = 250_000;

/** Every figure the tiny profile reports (it measures one synchronous_commit mode where the full run measures two). */
const EXPECTED = [
  'baseline.redis_publish_per_s',
  'baseline.redis_publish_pipelined_per_s',
  'baseline.pg_single_insert_rows_per_s.durable',
  'baseline.pg_single_insert_rows_per_s.async',
  'baseline.pg_multirow_insert_rows_per_s.durable',
  'baseline.pg_multirow_insert_rows_per_s.async',
  // the publish path: POST round trip beside the reference (issue 16)
  'post_latency.p50_ms.seq.async',
  'post_latency.p99_ms.seq.async',
  'post_latency.p50_ms.200.async',
  'post_latency.p99_ms.200.async',
  'post_latency.max_ms.200.async',
  'post_latency.p50_ms.1000.async',
  'post_latency.p99_ms.1000.async',
  'post_latency.max_ms.1000.async',
  'post_latency.api_cpu_ms_per_post.async',
  'post_latency.ingest_rows_per_s.async',
  'post_socket.p50_ms.async',
  'post_socket.p99_ms.async',
  'post_socket.lost',
  'idle.rss_per_socket_kb.1',
  'idle.rss_per_socket_kb.2',
  'idle.rss_per_socket_kb.3',
  'idle.sockets_held',
  'idle.machine_cpu_pct',
  'e2e.p50_ms.durable',
  'e2e.p99_ms.durable',
  'e2e.p50_ms.async',
  'e2e.p99_ms.async',
  'e2e.lost',
  'e2e_heavy.p50_ms.async',
  'e2e_heavy.p99_ms.async',
  'e2e_heavy.lost',
  'ingest.rows_per_s.async',
  'ingest.post_p99_ms_at_target',
  'ingest_batched.rows_per_s.async',
  'fanout.deliveries_per_s',
  'fanout.p99_ms',
  'fanout.broadcast_deliveries_per_s',
  'topics.deliveries_per_s.10',
  'topics.p50_ms.10',
  'topics.p99_ms.10',
  'topics.deliveries_per_s.100',
  'topics.p50_ms.100',
  'topics.p99_ms.100',
  'topics.deliveries_per_s',
  'topics.p99_ms',
  'topics.lost',
  'reconnect.seconds_to_resumed',
  'reconnect.lost',
  'reconnect.dups',
  // cost per operation
  'e2e.cpu_ms_per_notification',
  'e2e_heavy.cpu_ms_per_notification',
  'ingest.api_cpu_ms_per_post.async',
  'ingest_batched.api_cpu_us_per_row.async',
  'fanout.gateway_cpu_us_per_delivery',
  'topics.gateway_cpu_us_per_delivery.10',
  'topics.gateway_cpu_us_per_delivery.100',
  'reconnect.gateway_cpu_ms_per_resume',
  // the worker: audience fan-out and web push through a local push endpoint
  'worker.audience_rows_per_s',
  'worker.push_jobs_per_s',
];

interface Figure {
  key: string;
  value: number | null;
  unit: string;
  reference: { value: number | null; label: string } | null;
  ratio: number | null;
  quotable: boolean;
  skipped?: string;
}

function runBench(outDir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bench/run.mjs', '--quick', '--tiny', '--out', outDir, '--no-docs'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGTERM'), RUN_TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('bench harness (npm run bench -- --quick --tiny)', () => {
  let outDir: string;
  const docs = join(ROOT, 'docs/benchmarks.md');
  const docsMtime = existsSync(docs) ? statSync(docs).mtimeMs : null;

  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'herald-bench-'));
  });

  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it('runs every scenario against real processes and reports every figure', async () => {
    const sut = await runBench(outDir);
    if (sut.code !== 0) throw new Error(`bench exited with ${sut.code}:\n${sut.output}`);

    const files = readdirSync(outDir).filter((f) => f.endsWith('-tiny.json'));
    expect(files).toHaveLength(1);
    const result = JSON.parse(readFileSync(join(outDir, files[0]), 'utf8'));
    expect(result.failures).toEqual({});
    expect(result.machine).toEqual(expect.objectContaining({ nproc: expect.any(Number), node: expect.any(String), postgres: expect.any(String), redis: expect.any(String) }));
    expect(typeof result.settings.summary).toBe('string');

    const figures = new Map<string, Figure>(result.figures.map((f: Figure) => [f.key, f]));
    expect([...figures.keys()].sort()).toEqual(expect.arrayContaining([...EXPECTED].sort()));
    for (const key of EXPECTED) {
      const f = figures.get(key) as Figure;
      if (f.skipped) continue; // e.g. redis-benchmark not installed: said so, not faked
      expect({ key, finite: Number.isFinite(f.value) }).toEqual({ key, finite: true });
      expect(typeof f.unit).toBe('string');
      if (f.reference) expect({ key, referenceFinite: Number.isFinite(f.reference.value) }).toEqual({ key, referenceFinite: true });
      if (f.reference?.value) expect({ key, ratioFinite: Number.isFinite(f.ratio) }).toEqual({ key, ratioFinite: true });
      expect(typeof f.quotable).toBe('boolean');
    }
    expect(existsSync(docs) ? statSync(docs).mtimeMs : null).toBe(docsMtime);
  }, 260_000);
});
