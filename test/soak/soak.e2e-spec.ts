// The soak's short form (`npm run soak -- --short`): 1,000 sockets that
// churn 10 % a minute and 50 POST/s for 75 s against an api and two gateways
// as processes. It checks what a short run can judge: nothing lost,
// repeated or reordered (each client against Postgres), no process gone,
// open descriptors flat; RSS and heap are sampled and reported, and judged
// only by the full 20-minute run (docs/benchmarks.md has its figures).
// Needs dist/ (npm test builds it first) and Postgres + Redis on 127.0.0.1.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The script's own deadline is 170 s; it gets SIGTERM (it cleans up and reports) a little after. */
const SCRIPT_BUDGET_MS = 180_000;

interface Judged {
  flat: boolean;
  judged: boolean;
  samples: number;
  median: number;
}

interface Report {
  ok: boolean;
  failures: string[];
  options: { clients: number; mode: string };
  totals: { clients: number; created: number; dbRows: number; received: number; duplicates: number; gaps: number; churns: number };
  mismatchedClients: number;
  resources: Record<string, Record<'fds' | 'rssBytes' | 'heapUsedBytes', Judged>>;
  timeline: { phase: string; processes: Record<string, { rssBytes: number; fds: number; heapUsedBytes?: number }> }[];
}

function runSoak(out: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/soak/run.mjs', '--short', '--out', out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const term = setTimeout(() => child.kill('SIGTERM'), SCRIPT_BUDGET_MS);
    const kill = setTimeout(() => child.kill('SIGKILL'), SCRIPT_BUDGET_MS + 10_000);
    child.once('exit', (code) => {
      clearTimeout(term);
      clearTimeout(kill);
      resolve({ code, output });
    });
  });
}

describe('soak (npm run soak -- --short)', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'herald-soak-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps 1,000 churning sockets whole and every process flat in descriptors, sampling memory throughout', async () => {
    const sut = await runSoak(join(dir, 'soak.json'));
    const report = JSON.parse(readFileSync(join(dir, 'soak.json'), 'utf8')) as Report;
    if (sut.code !== 0) throw new Error(`soak exited with ${sut.code}: ${report.failures.join('; ')}\n${sut.output}`);

    expect(report.ok).toBe(true);
    expect(report.options).toMatchObject({ mode: 'short', clients: 1000 });
    expect(report.totals.created).toBeGreaterThan(0);
    expect(report.totals).toMatchObject({ dbRows: report.totals.created, received: report.totals.created, duplicates: 0, gaps: 0 });
    expect(report.mismatchedClients).toBe(0);
    expect(report.totals.churns).toBeGreaterThan(0);
    for (const name of ['api', 'gateway-0', 'gateway-1']) {
      expect({ name, fds: report.resources[name].fds }).toEqual({ name, fds: expect.objectContaining({ flat: true, judged: true }) });
      for (const key of ['rssBytes', 'heapUsedBytes'] as const) expect({ name, key, samples: report.resources[name][key].samples }).toEqual({ name, key, samples: expect.any(Number) });
      expect(report.resources[name].rssBytes.samples).toBeGreaterThanOrEqual(3);
    }
    expect(report.timeline.filter((s) => s.phase === 'steady').length).toBeGreaterThanOrEqual(10);
  }, SCRIPT_BUDGET_MS + 20_000);
});
