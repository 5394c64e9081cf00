import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'scripts/scale-rehearsal/run.mjs');
const NGINX = '/usr/sbin/nginx';
/** The whole test; the script gets SIGTERM (it cleans up) a little before. */
const TEST_TIMEOUT_MS = 90_000;
const SCRIPT_BUDGET_MS = 80_000;

interface Report {
  ok: boolean;
  failures: string[];
  options: { clients: number };
  phases: { name: string; gateways: string[] }[];
  timeline: { phase: string; connections: Record<string, number> }[];
  peak: { gateways: number; connections: Record<string, number> };
  end: { gateways: number; connections: Record<string, number> };
  reconnects: { total: number; byCode: Record<string, number> };
  totals: { clients: number; sent: number; received: number; duplicates: number; gaps: number; dbRows: number };
  mismatchedClients: number;
  clients: { userId: string; sent: number; received: number }[];
}

/** Runs the script to its end (or SIGTERM at the budget, SIGKILL 5 s later); never longer. */
function runScript(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const term = setTimeout(() => child.kill('SIGTERM'), SCRIPT_BUDGET_MS);
    const kill = setTimeout(() => child.kill('SIGKILL'), SCRIPT_BUDGET_MS + 5000);
    child.once('exit', (code) => {
      clearTimeout(term);
      clearTimeout(kill);
      resolve({ code, output });
    });
  });
}

const haveNginx = existsSync(NGINX);
if (!haveNginx) console.warn(`test/scale skipped: ${NGINX} is missing (apt-get install nginx; CI installs it)`);

(haveNginx ? describe : describe.skip)('scale rehearsal (--short): nginx + api + gateways 1 → 4 → 2 as processes', () => {
  let dir: string;
  let report: Report;
  let run: { code: number | null; output: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'herald-scale-test-'));
    const out = join(dir, 'report.json');
    run = await runScript(['--short', '--out', out]);
    if (existsSync(out)) report = JSON.parse(readFileSync(out, 'utf8'));
  }, TEST_TIMEOUT_MS);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 and writes its report', () => {
    if (run.code !== 0 || !report) throw new Error(`scale-rehearsal exited with ${run.code}:\n${run.output}`);
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('reaches 4 gateways, each holding sockets at the peak, and ends on 2 that hold every client', () => {
    expect(report.peak.gateways).toBe(4);
    const peak = report.timeline.filter((s) => s.phase === 'peak');
    const busiest = (name: string) => Math.max(0, ...peak.map((s) => s.connections[name] ?? 0));
    expect(Object.keys(report.peak.connections).map(busiest).every((n) => n > 0)).toBe(true);
    expect(report.end.gateways).toBe(2);
    expect(Object.values(report.end.connections).reduce((a, b) => a + b, 0)).toBe(report.options.clients);
    expect(report.phases.find((p) => p.name === 'final')?.gateways).toHaveLength(2);
  });

  it('drained clients reconnected after 1012', () => {
    expect(report.reconnects.total).toBeGreaterThan(0);
    expect(report.reconnects.byCode['1012']).toBeGreaterThan(0);
  });

  it('every client received exactly what was sent to it: no duplicate, no gap', () => {
    expect(report.totals.sent).toBeGreaterThan(0);
    expect(report.clients).toHaveLength(report.options.clients);
    expect(report.clients.filter((c) => c.sent !== c.received)).toEqual([]);
    expect(report.mismatchedClients).toBe(0);
    expect(report.totals).toMatchObject({ received: report.totals.sent, dbRows: report.totals.sent, duplicates: 0, gaps: 0 });
  });
});
