// --alloc-profile: bytes each api allocates per operation, and where. Memory
// that is allocated and dropped at once still costs: the young-generation
// collector runs once its space fills, on the main thread and on V8's helper
// threads, so twice the bytes per request is about twice the GC work.
import { startAllocationSampling } from './inspector.mjs';

const where = (frame) => `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*?(node_modules\/|\/(?:apps|libs)\/)/, '$1')}:${frame.lineNumber + 1}`;

/** Bytes sampled in all, and the functions that allocated most (their own allocations), from a sampled allocation profile. */
export function summarizeAllocations(profile, top = 12) {
  const byFunction = new Map();
  let total = 0;
  const stack = [profile.head];
  while (stack.length) {
    const node = stack.pop();
    total += node.selfSize;
    if (node.selfSize) byFunction.set(where(node.callFrame), (byFunction.get(where(node.callFrame)) ?? 0) + node.selfSize);
    stack.push(...node.children);
  }
  return { totalBytes: total, top: [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top) };
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

/** A log line: `64.3 KB per op; tryActivate @nestjs/core/guards/guards-consumer.js:5 3.5 KB, …`. */
export function allocationLine(allocations, operations, top = 6) {
  const kb = (bytes) => `${(bytes / operations / 1024).toFixed(1)} KB`;
  return `${kb(allocations.totalBytes)} allocated per op; most by ${allocations.top.slice(0, top).map(([fn, bytes]) => `${fn} ${kb(bytes)}`).join(', ')}`;
}
