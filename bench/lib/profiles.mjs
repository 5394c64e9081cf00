// Load sizes per profile. `full` is the load (≈30 min on 2 cores);
// `quick` is the same shape at a fraction of the size (< 2 min with the
// build); `tiny` is the CI smoke run (seconds per scenario, every figure
// still produced). Targets are only judged at the full load.
const MODES = ['durable', 'async']; // synchronous_commit on / off
/** The systems post_socket runs, in order: Herald, the reference and the Socket.IO peer. */
const POST_SOCKET_KINDS = ['herald', 'reference', 'socketio'];

export const PROFILES = {
  full: {
    socketsPerClient: 12_500, // ≤ ~15k sockets per load process (20,000 open files per process)
    poolSize: 10, // DATABASE_POOL_SIZE for api, gateways and reference (Herald's default)
    idle: { gateways: 4, steps: [10_000, 25_000, 50_000], settleMs: 5000, cpuWindowMs: 30_000, heartbeatMs: 25_000 },
    e2e: { gateways: 2, sockets: 20_000, rate: 1000, durationMs: 15_000, warmupMs: 2000, runs: 2, modes: MODES, publishers: 1, maxInFlight: 256 },
    e2eHeavy: { gateways: 2, sockets: 20_000, rate: 5000, durationMs: 10_000, warmupMs: 2000, runs: 2, modes: MODES, publishers: 2, maxInFlight: 512 },
    ingest: { durationMs: 10_000, warmupMs: 2000, concurrency: 32, userPool: 100_000, targetRate: 3000, modes: MODES },
    ingestBatched: { durationMs: 10_000, warmupMs: 2000, concurrency: 4, recipients: 1000, userPool: 100_000, modes: MODES },
    fanout: { gateways: 2, sockets: 10_000, rounds: 5, modes: ['async'] },
    // 10/s is 100,000 deliveries/s if every event gets through; 100/s offers 1,000,000/s, past what 2 cores can do: a
    // second of it (1M deliveries, as many as the 10 s at 10/s) shows the most the gateways deliver.
    topics: { gateways: 2, sockets: 10_000, warmupMs: 1000, phases: [{ rate: 10, durationMs: 10_000 }, { rate: 100, durationMs: 1000 }], modes: ['async'] },
    // 20,000 sockets cannot sit on one gateway here: the per-process cap is 20,000 open files.
    reconnect: { gateways: 3, sockets: 19_500, rate: 500, beforeMs: 2000, afterMs: 5000, timeoutMs: 90_000 },
    baselines: { redisRequests: 200_000, insertMs: 5000, insertConcurrency: 10 },
    worker: { audienceMembers: 100_000, pushSubscribers: 5000 },
    postLatency: { users: 5000, warmupMs: 2000, sequential: 3000, sequentialMaxMs: 10_000, rates: [200, 500, 1000], durationMs: 10_000, concurrency: 32, closedMs: 5000, modes: MODES, trace: true },
    postSocket: { users: 5000, rate: 1000, durationMs: 10_000, warmupMs: 2000, heartbeatMs: 25_000, modes: MODES, kinds: POST_SOCKET_KINDS, rounds: 3 },
    // 1,000,000 notifications: the table size for list and counts.
    inbox: { users: 100, perUser: 10_000, queries: 1000, concurrency: 8, posts: 2000 },
  },
  quick: {
    socketsPerClient: 12_500,
    poolSize: 10,
    idle: { gateways: 3, steps: [300, 600, 1000], settleMs: 300, cpuWindowMs: 2000, heartbeatMs: 1000 },
    e2e: { gateways: 2, sockets: 1000, rate: 1000, durationMs: 1200, warmupMs: 300, runs: 1, modes: MODES, publishers: 1, maxInFlight: 256 },
    e2eHeavy: { gateways: 2, sockets: 1000, rate: 5000, durationMs: 800, warmupMs: 300, runs: 1, modes: ['async'], publishers: 2, maxInFlight: 512 },
    ingest: { durationMs: 1200, warmupMs: 300, concurrency: 32, userPool: 100_000, targetRate: 3000, modes: ['async'] },
    ingestBatched: { durationMs: 1200, warmupMs: 300, concurrency: 4, recipients: 1000, userPool: 100_000, modes: ['async'] },
    fanout: { gateways: 2, sockets: 1000, rounds: 1, modes: ['async'] },
    topics: { gateways: 2, sockets: 1000, warmupMs: 300, phases: [{ rate: 10, durationMs: 2000 }, { rate: 100, durationMs: 1000 }], modes: ['async'] },
    reconnect: { gateways: 3, sockets: 400, rate: 200, beforeMs: 500, afterMs: 1000, timeoutMs: 30_000 },
    baselines: { redisRequests: 40_000, insertMs: 700, insertConcurrency: 10 },
    worker: { audienceMembers: 20_000, pushSubscribers: 1000 },
    postLatency: { users: 5000, warmupMs: 500, sequential: 500, sequentialMaxMs: 2000, rates: [200, 500, 1000], durationMs: 1500, concurrency: 32, closedMs: 1000, modes: MODES, trace: true },
    postSocket: { users: 1000, rate: 1000, durationMs: 1500, warmupMs: 300, heartbeatMs: 5000, modes: MODES, kinds: POST_SOCKET_KINDS, rounds: 1 },
    inbox: { users: 100, perUser: 1000, queries: 300, concurrency: 8, posts: 500 },
  },
  tiny: {
    socketsPerClient: 12_500,
    poolSize: 5,
    idle: { gateways: 3, steps: [60, 120, 200], settleMs: 200, cpuWindowMs: 1000, heartbeatMs: 500 },
    e2e: { gateways: 2, sockets: 200, rate: 100, durationMs: 1000, warmupMs: 100, runs: 1, modes: MODES, publishers: 1, maxInFlight: 32 },
    e2eHeavy: { gateways: 2, sockets: 200, rate: 200, durationMs: 500, warmupMs: 100, runs: 1, modes: ['async'], publishers: 1, maxInFlight: 32 },
    ingest: { durationMs: 500, warmupMs: 100, concurrency: 8, userPool: 1000, targetRate: 100, modes: ['async'] },
    ingestBatched: { durationMs: 500, warmupMs: 100, concurrency: 2, recipients: 100, userPool: 1000, modes: ['async'] },
    fanout: { gateways: 2, sockets: 200, rounds: 1, modes: ['async'] },
    topics: { gateways: 2, sockets: 200, warmupMs: 0, phases: [{ rate: 10, durationMs: 500 }, { rate: 100, durationMs: 300 }], modes: ['async'] },
    reconnect: { gateways: 3, sockets: 100, rate: 50, beforeMs: 300, afterMs: 400, timeoutMs: 20_000 },
    baselines: { redisRequests: 2000, insertMs: 300, insertConcurrency: 4 },
    worker: { audienceMembers: 2000, pushSubscribers: 100 },
    postLatency: { users: 5000, warmupMs: 100, sequential: 50, sequentialMaxMs: 500, rates: [200, 1000], durationMs: 300, concurrency: 8, closedMs: 300, modes: ['async'], trace: true },
    postSocket: { users: 200, rate: 100, durationMs: 500, warmupMs: 100, heartbeatMs: 2000, modes: ['async'], kinds: POST_SOCKET_KINDS, rounds: 1 },
    inbox: { users: 10, perUser: 200, queries: 50, concurrency: 4, posts: 50 },
  },
};

/** The targets, judged only when the run used the full profile. */
export const TARGETS = {
  'idle.rss_per_socket_kb.1': { text: '≤ 10 KB at 10k', check: (v) => v <= 10 },
  'idle.sockets_held': { text: '50k held', check: (v, f) => v >= f.wanted },
  'idle.machine_cpu_pct': { text: '≤ 10 %', check: (v) => v <= 10 },
  'e2e.p99_ms.durable': { text: '≤ 1.5 × reference', check: (v, f) => f.ratio <= 1.5 },
  'e2e.p99_ms.async': { text: '≤ 50 ms and ≤ 1.5 × reference', check: (v, f) => v <= 50 && f.ratio <= 1.5 },
  'e2e.lost': { text: 'zero loss', check: (v) => v === 0 },
  'e2e_heavy.p99_ms.async': { text: '≤ 150 ms', check: (v) => v <= 150 },
  'e2e_heavy.lost': { text: 'zero loss', check: (v) => v === 0 },
  'ingest.rows_per_s.async': { text: '≥ 3,000/s', check: (v) => v >= 3000 },
  'ingest.rows_per_s.durable': { text: '≥ 3,000/s', check: (v) => v >= 3000 },
  'ingest.post_p99_ms_at_target': { text: '≤ 50 ms at 3,000/s', check: (v, f) => v <= 50 && f.achievedRate >= 0.99 * 3000 },
  'ingest_batched.rows_per_s.async': { text: '≥ 50,000/s', check: (v) => v >= 50_000 },
  'ingest_batched.rows_per_s.durable': { text: '≥ 50,000/s', check: (v) => v >= 50_000 },
  'fanout.deliveries_per_s': { text: '≥ 50,000/s', check: (v) => v >= 50_000 },
  'topics.deliveries_per_s': { text: '≥ 150,000/s', check: (v) => v >= 150_000 },
  'topics.p99_ms.10': { text: '≤ 100 ms', check: (v) => v <= 100 },
  'topics.p99_ms.100': { text: '≤ 100 ms', check: (v) => v <= 100 },
  'topics.lost': { text: 'zero loss', check: (v) => v === 0 },
  'reconnect.seconds_to_resumed': { text: '≤ 30 s', check: (v) => v <= 30 },
  'reconnect.lost': { text: 'nothing lost', check: (v) => v === 0 },
  'post_socket.lost': { text: 'zero loss', check: (v) => v === 0 },
  'worker.audience_rows_per_s': { text: '≥ 100,000/s at 100,000 members', check: (v) => v >= 100_000 },
  ...Object.fromEntries(
    ['durable', 'async'].flatMap((m) => [
      [`post_latency.p50_ms.seq.${m}`, { text: '≤ 1.5 × reference', check: (v, f) => f.ratio <= 1.5 }],
      [`post_latency.p50_ms.1000.${m}`, { text: '≤ 2 × reference', check: (v, f) => f.ratio <= 2 }],
      [`post_latency.p99_ms.1000.${m}`, { text: '≤ 3 × reference', check: (v, f) => f.ratio <= 3 }],
      [`post_latency.api_cpu_ms_per_post.${m}`, { text: '≤ 1.5 × reference', check: (v, f) => f.ratio <= 1.5 }],
      [`post_latency.ingest_rows_per_s.${m}`, { text: '≥ 0.8 × reference', check: (v, f) => f.ratio >= 0.8 }],
      [`post_socket.p99_ms.${m}`, { text: '≤ 2 × reference and ≤ Socket.IO', check: (v, f) => f.ratio <= 2 && v <= f.secondary?.value }],
    ]),
  ),
};
