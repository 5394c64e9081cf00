/* global AbortSignal */
// Talks to a child started with `--inspect=127.0.0.1:<port>` over the
// DevTools protocol: forces a full GC (HeapProfiler.collectGarbage) and reads
// the V8 heap, and records CPU and allocation profiles of a measurement
// window. The gateway has no GC endpoint and we do not change app code; the
// inspector reaches the same V8 calls without one. (`node --cpu-prof` writes
// its profile only on a normal exit, and Nest re-raises SIGTERM, so it would
// never be written.)
import WebSocket from 'ws';
import { withTimeout } from './util.mjs';

async function session(inspectPort) {
  const list = await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`, { signal: AbortSignal.timeout(3000) })).json();
  const ws = new WebSocket(list[0].webSocketDebuggerUrl, { perMessageDeflate: false });
  await withTimeout(new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject))), 5000, 'inspector connect');
  let id = 0;
  const waiting = new Map();
  const listeners = new Map(); // method → handler, for events such as heap snapshot chunks
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data));
    if (msg.method) listeners.get(msg.method)?.(msg.params);
    waiting.get(msg.id)?.(msg);
    waiting.delete(msg.id);
  });
  const call = (method, params = {}) =>
    withTimeout(
      new Promise((resolve) => {
        waiting.set(++id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      }),
      120_000,
      method,
    );
  return { call, on: (method, fn) => listeners.set(method, fn), close: () => ws.close() };
}

/** stop() for a profiler started on session `s`: calls `method`, closes the session, resolves to the profile. */
function profileStopper(s, method) {
  return async () => {
    try {
      const res = await s.call(method);
      return res.result?.profile;
    } finally {
      s.close();
    }
  };
}

/** Two full GCs (the second collects what finalizers of the first released), then heap used/total in bytes. */
export async function forceGc(inspectPort) {
  const s = await session(inspectPort);
  try {
    await s.call('HeapProfiler.collectGarbage');
    await s.call('HeapProfiler.collectGarbage');
    const usage = await s.call('Runtime.getHeapUsage');
    return { heapUsed: usage.result?.usedSize ?? NaN, heapTotal: usage.result?.totalSize ?? NaN };
  } finally {
    s.close();
  }
}

/** Starts the V8 sampling profiler; resolves to stop(), which returns the .cpuprofile JSON. */
export async function startCpuProfile(inspectPort, intervalUs = 1000) {
  const s = await session(inspectPort);
  await s.call('Profiler.enable');
  await s.call('Profiler.setSamplingInterval', { interval: intervalUs });
  await s.call('Profiler.start');
  return profileStopper(s, 'Profiler.stop');
}

/**
 * Starts V8's sampling heap profiler, counting what is allocated whether or
 * not a GC has collected it since (the bytes allocated, not the bytes kept);
 * resolves to stop(), which returns the sampled allocation profile.
 */
export async function startAllocationSampling(inspectPort, samplingInterval = 4096) {
  const s = await session(inspectPort);
  await s.call('HeapProfiler.enable');
  await s.call('HeapProfiler.startSampling', { samplingInterval, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return profileStopper(s, 'HeapProfiler.stopSampling');
}

/** A full heap snapshot (after a GC), parsed: the .heapsnapshot JSON. */
export async function heapSnapshot(inspectPort) {
  const s = await session(inspectPort);
  const chunks = [];
  s.on('HeapProfiler.addHeapSnapshotChunk', (p) => chunks.push(p.chunk));
  try {
    await s.call('HeapProfiler.enable');
    await s.call('HeapProfiler.collectGarbage');
    await s.call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    return JSON.parse(chunks.join(''));
  } finally {
    s.close();
  }
}
