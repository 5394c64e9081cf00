// The scenarios that can share one deployment: end to end, heavy, ingestion
// (batched or not), fan-out and topics (it runs last: its sockets keep following the topic). For each of Herald and the reference: start
// it once, connect the sockets once, then per synchronous_commit mode (the
// api is restarted between modes) run every selected scenario that measures
// that mode. Connecting 20k sockets is the slow part of a run on 2 cores;
// doing it once instead of once per scenario is what keeps `--quick` short.
import { withSession } from '../lib/deploy.mjs';
import { log } from '../lib/util.mjs';
import { measureE2e, reportE2e } from './e2e.mjs';
import { measureIngest, reportIngest } from './ingest.mjs';
import { measureFanout, reportFanout } from './fanout.mjs';
import { measureTopics, reportTopics } from './topics.mjs';

export const SHARED_SCENARIOS = ['e2e', 'e2e_heavy', 'ingest', 'ingest_batched', 'fanout', 'topics'];
const SOCKET_SCENARIOS = new Set(['e2e', 'e2e_heavy', 'fanout', 'topics']);

const config = (p) => ({ e2e: p.e2e, e2e_heavy: p.e2eHeavy, ingest: p.ingest, ingest_batched: p.ingestBatched, fanout: p.fanout, topics: p.topics });

const MEASURE = {
  e2e: (ctx, s, cfg, mode) => measureE2e(ctx, s, 'e2e', cfg, mode),
  e2e_heavy: (ctx, s, cfg, mode) => measureE2e(ctx, s, 'e2e_heavy', cfg, mode),
  ingest: (ctx, s, cfg, mode) => measureIngest(ctx, s, 'ingest', cfg, mode),
  ingest_batched: (ctx, s, cfg, mode) => measureIngest(ctx, s, 'ingest_batched', cfg, mode),
  fanout: measureFanout,
  topics: measureTopics,
};

const REPORT = {
  e2e: (ctx, cfg, h, r) => reportE2e(ctx, 'e2e', cfg, h, r),
  e2e_heavy: (ctx, cfg, h, r) => reportE2e(ctx, 'e2e_heavy', cfg, h, r),
  ingest: (ctx, cfg, h, r) => reportIngest(ctx, 'ingest', cfg, h, r),
  ingest_batched: (ctx, cfg, h, r) => reportIngest(ctx, 'ingest_batched', cfg, h, r),
  fanout: reportFanout,
  topics: reportTopics,
};

/** Runs `names` (a subset of SHARED_SCENARIOS); returns { details, failures }. */
export async function runShared(ctx, profile, names) {
  const cfgs = config(profile);
  const socketCfgs = names.filter((n) => SOCKET_SCENARIOS.has(n)).map((n) => cfgs[n]);
  const needs = {
    sockets: Math.max(0, ...socketCfgs.map((c) => c.sockets)),
    gateways: Math.max(1, ...socketCfgs.map((c) => c.gateways)),
    publishers: Math.max(1, ...names.map((n) => cfgs[n].publishers ?? 1)),
  };
  const modes = ['durable', 'async'].filter((m) => names.some((n) => cfgs[n].modes.includes(m)));
  const results = Object.fromEntries(names.map((n) => [n, { herald: {}, reference: {} }]));
  const failures = {};
  log(`shared deployment for ${names.join(', ')}: ${needs.sockets} sockets over ${needs.gateways} gateways, modes ${modes.join(' then ')}`);
  for (const kind of ['herald', 'reference']) {
    const t0 = Date.now();
    try {
      await withSession(ctx, kind, { ...needs, mode: modes[0] }, async (session) => {
        for (const mode of modes) {
          await session.useMode(mode);
          for (const name of names.filter((n) => cfgs[n].modes.includes(mode))) {
            try {
              results[name][kind][mode] = await MEASURE[name](ctx, session, cfgs[name], mode);
            } catch (err) {
              failures[name] = String(err?.stack ?? err);
              log(`${name} (${kind}, ${mode}) failed: ${err?.message ?? err}`);
            }
          }
        }
      });
    } catch (err) {
      for (const n of names) failures[n] ??= String(err?.stack ?? err);
      log(`shared deployment (${kind}) failed: ${err?.message ?? err}`);
    }
    log(`shared deployment (${kind}) done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  for (const name of names) {
    try {
      REPORT[name](ctx, cfgs[name], results[name].herald, results[name].reference);
    } catch (err) {
      failures[name] ??= String(err?.stack ?? err);
    }
  }
  const details = Object.fromEntries(names.map((n) => [n, { config: cfgs[n], ...results[n] }]));
  return { details, failures };
}
