// --alloc-profile: bytes each api allocates per operation, and where. Memory
// that is allocated and dropped at once still costs: the young-generation
// collector runs once its space fills, on the main thread and on V8's helper
// threads, so twice the bytes per request is about twice the GC work.
import { owner } from './cpuprofile.mjs';
import { startAllocationSampling } from './inspector.mjs';

const where = (frame) => `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*?(node_modules\/|\/(?:apps|libs)\/)/, '$1')}:${frame.lineNumber + 1}`;

const add = (map, key, bytes) => map.set(key, (map.get(key) ?? 0) + bytes);
const largest = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);

/**
 * Bytes sampled in all, and the functions and packages that allocated most
 * (their own allocations), from a sampled allocation profile. By package
 * tells what a layer costs in all (Nest's router, guard and pipe runners
 * are a dozen functions, none of them large alone).
 */
export function summarizeAllocations(profile, top = 12) {
  const byFunction = new Map();
  const byPackage = new Map();
  let total = 0;
  const stack = [profile.head];
  while (stack.length) {
    const node = stack.pop();
    total += node.selfSize;
    if (node.selfSize) {
      add(byFunction, where(node.callFrame), node.selfSize);
      // No script: V8's builtins (JSON.parse, string and array methods) and its API.
      add(byPackage, node.callFrame.url ? owner(node.callFrame.url) : '(V8 builtins)', node.selfSize);
    }
    stack.push(...node.children);
  }
  return { totalBytes: total, top: largest(byFunction, top), byPackage: largest(byPackage, top) };
}

/** Samples the allocations of `proc` (started with an inspector) while `fn` runs; adds `allocations` to its result. */
export async function allocationsDuring(proc, fn) {
  const stop = await startAllocationSampling(proc.inspectPort);
  let result;
  try {
    result = await fn();
  } finally {
    const profile = await stop().catch(() => null);
    if (profile && result && typeof result === 'object') result.allocations = summarizeAllocations(profile);
  }
  return result;
}

/** A log line: `64.3 KB allocated per op; most by tryActivate node_modules/@nestjs/core/guards/guards-consumer.js:5 3.5 KB, …; by package @nestjs/core 12.0 KB, …`. */
export function allocationLine(allocations, operations, top = 6) {
  const kb = (bytes) => `${(bytes / operations / 1024).toFixed(1)} KB`;
  const list = (rows) => rows.slice(0, top).map(([what, bytes]) => `${what} ${kb(bytes)}`).join(', ');
  return `${kb(allocations.totalBytes)} allocated per op; most by ${list(allocations.top)}; by package ${list(allocations.byPackage)}`;
}
