// Command line and the two profiles. Every phase, wait and loop the script
// runs is bounded by a number here.

/** Gateway counts the rehearsal walks through: 1 → 4 → 2. */
export const SCALE = { initial: 1, peak: 4, final: 2 };

const PROFILES = {
  /** CI: a few seconds per phase, well under a minute in all. */
  short: {
    clients: 60,
    ratePerSecond: 20,
    drainMs: 2000,
    /** Time publishing on one gateway before scaling up. */
    oneMs: 3000,
    /** Time at the peak (4 gateways). */
    peakMs: 5000,
    /** Time at the final size (2 gateways). */
    finalMs: 4000,
    /** Share of clients that reload their page each second (close 1000, reconnect with since). */
    churnPerSecond: 0.06,
    /** Pause between removing a gateway from nginx and SIGTERM (Kubernetes' preStop). */
    preStopMs: 300,
    /** Longest wait for every client to catch up after the last POST. */
    catchupMs: 15_000,
    /** The whole run, set-up and clean-up included; past it the script aborts. */
    deadlineMs: 80_000,
    connectConcurrency: 30,
  },
  /** By hand: thousands of sockets, minutes. */
  full: {
    clients: 2000,
    ratePerSecond: 200,
    drainMs: 10_000,
    oneMs: 20_000,
    peakMs: 60_000,
    finalMs: 30_000,
    churnPerSecond: 0.005,
    preStopMs: 1000,
    catchupMs: 60_000,
    deadlineMs: 10 * 60_000,
    connectConcurrency: 50,
  },
};

/** This machine caps a process at 20k open files; each client is one in this process and two in nginx. */
const MAX_CLIENTS = 5000;
const MAX_RATE = 900; // under the api's default 1000 requests/s per service token

const USAGE = `usage: node scripts/scale-rehearsal/run.mjs [--short] [--out FILE] [--clients N] [--rate N] [--drain-ms N]

  --short        CI profile: ${PROFILES.short.clients} clients, ${PROFILES.short.ratePerSecond}/s, phases of a few seconds
  --out FILE     JSON report (default bench-results/scale-rehearsal-<date>.json)
  --clients N    WebSocket clients, one user each (1..${MAX_CLIENTS})
  --rate N       POSTs per second (1..${MAX_RATE})
  --drain-ms N   HERALD_DRAIN_MS of the gateways (0..60000)`;

function intArg(name, value, min, max) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer in ${min}..${max}, got ${value}\n${USAGE}`);
  return n;
}

export function parseOptions(argv) {
  const args = [...argv];
  const picked = {};
  let mode = 'full';
  let out;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      if (i + 1 >= args.length) throw new Error(`${arg} needs a value\n${USAGE}`);
      return args[++i];
    };
    if (arg === '--short') mode = 'short';
    else if (arg === '--out') out = value();
    else if (arg === '--clients') picked.clients = intArg(arg, value(), 1, MAX_CLIENTS);
    else if (arg === '--rate') picked.ratePerSecond = intArg(arg, value(), 1, MAX_RATE);
    else if (arg === '--drain-ms') picked.drainMs = intArg(arg, value(), 0, 60_000);
    else if (arg === '--help' || arg === '-h') return { help: USAGE };
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  const date = new Date().toISOString().replace(/[:.]/g, '-');
  return {
    mode,
    out: out ?? `bench-results/scale-rehearsal-${date}.json`,
    ...PROFILES[mode],
    ...picked,
  };
}
