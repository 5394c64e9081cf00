// Command line and the two profiles of the soak. Every phase, wait and loop
// it runs is bounded by a number here.
import { parseArgs } from 'node:util';

const PROFILES = {
  /** By hand (`npm run soak`): what the issue asks, about 25 minutes in all. */
  full: {
    clients: 10_000,
    gateways: 2,
    ratePerSecond: 100,
    /** How long sockets churn and POSTs flow. */
    durationMs: 20 * 60_000,
    /** Share of the sockets that close (1000) and come back with `since`, per minute. */
    churnPerMinute: 0.1,
    sampleMs: 10_000,
    connectConcurrency: 100,
    /** Longest wait for every client to catch up after the last POST. */
    catchupMs: 120_000,
    /** Judge RSS and heap too; a run of a minute or two cannot tell a leak from warm-up. */
    judgeMemory: true,
    /** The whole run, set-up and clean-up included; past it the script aborts. */
    deadlineMs: 35 * 60_000,
  },
  /** CI (test/soak): 1,000 sockets for 75 s; descriptors and delivery judged, memory reported. */
  short: {
    clients: 1000,
    gateways: 2,
    ratePerSecond: 50,
    durationMs: 75_000,
    churnPerMinute: 0.1,
    sampleMs: 2000,
    connectConcurrency: 50,
    catchupMs: 30_000,
    judgeMemory: false,
    deadlineMs: 170_000,
  },
};

/** One process of the harness holds every client socket; the machine caps a process at 20k files. */
const MAX_CLIENTS = 15_000;
/** Under the api's default 1000 publish requests/s per service token. */
const MAX_RATE = 900;

export const USAGE = `usage: npm run soak -- [--short] [--out FILE] [--clients N] [--minutes N] [--rate N]

  --short        CI profile: ${PROFILES.short.clients} sockets, ${PROFILES.short.ratePerSecond} POST/s, ${PROFILES.short.durationMs / 1000} s
  --out FILE     JSON report (default bench-results/soak-<date>.json)
  --clients N    WebSocket clients, one user each (1..${MAX_CLIENTS}; default ${PROFILES.full.clients})
  --minutes N    minutes of churn and POSTs (1..120; default ${PROFILES.full.durationMs / 60_000})
  --rate N       POSTs per second (1..${MAX_RATE}; default ${PROFILES.full.ratePerSecond})`;

function intArg(name, value, min, max) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer in ${min}..${max}, got ${value}\n${USAGE}`);
  return n;
}

export function parseOptions(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        short: { type: 'boolean' },
        out: { type: 'string' },
        clients: { type: 'string' },
        minutes: { type: 'string' },
        rate: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new Error(`${error.message}\n${USAGE}`, { cause: error });
  }
  if (parsed.help) return { help: USAGE };
  const mode = parsed.short ? 'short' : 'full';
  const profile = { ...PROFILES[mode] };
  const minutes = intArg('minutes', parsed.minutes, 1, 120);
  if (minutes !== undefined) {
    profile.durationMs = minutes * 60_000;
    profile.deadlineMs = profile.durationMs + 15 * 60_000;
  }
  const date = new Date().toISOString().replace(/[:.]/g, '-');
  return {
    mode,
    ...profile,
    clients: intArg('clients', parsed.clients, 1, MAX_CLIENTS) ?? profile.clients,
    ratePerSecond: intArg('rate', parsed.rate, 1, MAX_RATE) ?? profile.ratePerSecond,
    out: parsed.out ?? `bench-results/soak-${date}.json`,
  };
}
