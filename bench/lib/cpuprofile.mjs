// CPU profiles of the system under test during a measurement window, and
// their summary: self time per function and per package (express, typeorm,
// class-validator, pg, ioredis, ws, …) so the report can say where time goes.
// Also usable alone: `node bench/lib/cpuprofile.mjs file.cpuprofile [topN]`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCpuProfile } from './inspector.mjs';

/** Which package (or app/lib folder, or node internal) a profile node's url belongs to. */
export function owner(url) {
  if (!url) return '(native/gc/idle)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const m = url.match(/\/(apps|libs)\/([^/]+)\/src\//);
  if (m) return `herald ${m[1]}/${m[2]}`;
  return path.basename(url);
}

/** Self time by function and by owner, as shares of all samples, top `n` each. */
export function summarizeProfile(profile, n = 15) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const dt = profile.timeDeltas ?? [];
  const self = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const t = dt[i] ?? 0;
    total += t;
    self.set(id, (self.get(id) ?? 0) + t);
  });
  const fns = new Map();
  const owners = new Map();
  for (const [id, t] of self) {
    const cf = byId.get(id).callFrame;
    const name = `${cf.functionName || '(anonymous)'} ${cf.url ? `${cf.url.replace(/^.*?(node_modules\/|dist\/)/, '$1')}:${cf.lineNumber + 1}` : ''}`.trim();
    fns.set(name, (fns.get(name) ?? 0) + t);
    const o = ['(idle)', '(program)', '(garbage collector)'].includes(cf.functionName) ? cf.functionName : owner(cf.url);
    owners.set(o, (owners.get(o) ?? 0) + t);
  }
  const top = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, t]) => ({ name, pct: Math.round((t / total) * 1000) / 10 }));
  const idle = owners.get('(idle)') ?? 0;
  return {
    totalMs: Math.round(total / 1000),
    busyPct: Math.round(((total - idle) / total) * 1000) / 10,
    byOwner: top(owners),
    inclusiveByOwner: top(inclusive(profile, byId, self)),
    byFunction: top(fns),
  };
}

/** Time with each owner anywhere on the stack (counted once per sample): "under typeorm, including pg". */
function inclusive(profile, byId, self) {
  const parent = new Map();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const out = new Map();
  for (const [id, t] of self) {
    const seen = new Set();
    for (let cur = id, guard = 0; cur !== undefined && guard < 500; cur = parent.get(cur), guard++) {
      const url = byId.get(cur).callFrame.url;
      if (url) seen.add(owner(url));
    }
    for (const o of seen) out.set(o, (out.get(o) ?? 0) + t);
  }
  return out;
}

/** Profiles `procs` (started with an inspector) while `fn` runs; writes .cpuprofile files and returns summaries. */
export async function profileDuring(dir, label, procs, fn) {
  const stops = await Promise.all(procs.map((p) => startCpuProfile(p.inspectPort)));
  let result;
  try {
    result = await fn();
  } finally {
    mkdirSync(dir, { recursive: true });
    const summaries = {};
    await Promise.all(
      stops.map(async (stop, i) => {
        const profile = await stop().catch(() => null);
        if (!profile) return;
        const file = path.join(dir, `${label}-${procs[i].name}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        summaries[procs[i].name] = { file: path.relative(process.cwd(), file), ...summarizeProfile(profile) };
      }),
    );
    if (result && typeof result === 'object') result.cpuProfiles = summaries;
  }
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const s = summarizeProfile(JSON.parse(readFileSync(process.argv[2], 'utf8')), Number(process.argv[3] ?? 25));
  console.log(`total ${s.totalMs} ms, busy ${s.busyPct} %`);
  console.log('\nself time by package:');
  for (const o of s.byOwner) console.log(`  ${String(o.pct).padStart(5)} %  ${o.name}`);
  console.log('\ntime with the package anywhere on the stack:');
  for (const o of s.inclusiveByOwner) console.log(`  ${String(o.pct).padStart(5)} %  ${o.name}`);
  console.log('\nself time by function:');
  for (const f of s.byFunction) console.log(`  ${String(f.pct).padStart(5)} %  ${f.name}`);
}
