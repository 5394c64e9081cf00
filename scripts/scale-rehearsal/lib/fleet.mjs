// The gateway replicas and how they come and go, the way Kubernetes moves a
// Deployment's pods in and out of a Service's endpoints (here: nginx's
// `gateway` upstream).
import { HeraldProcess } from '../../harness/herald-process.mjs';
import { freePort } from '../../harness/network.mjs';
import { sleep } from '../../harness/wait.mjs';
import { connectionsOn } from './sampler.mjs';
import { since } from './util.mjs';

/** Past preStop + drain, how long a draining gateway may take before SIGKILL (terminationGracePeriodSeconds' margin). */
const GRACE_MARGIN_MS = 10_000;

export class Fleet {
  /** In start order: { name, port, metricsPort, proc, inRotation, draining, inRotationAtMs, outOfRotationAtMs, sigtermAtMs, exit }. */
  gateways = [];
  reloads = Promise.resolve();

  /**
   * @param {{ t0: number, env: Record<string, string>, cwd: string, drainMs: number, preStopMs: number,
   *   log: (msg: string) => void }} o
   */
  constructor(o) {
    Object.assign(this, o);
  }

  /** nginx arrives after the first gateway (it needs an upstream). */
  attach(nginx) {
    this.nginx = nginx;
  }

  get inRotation() {
    return this.gateways.filter((g) => g.inRotation);
  }

  async startGateway() {
    const gw = { name: `gw${this.gateways.length + 1}`, inRotation: false, draining: false };
    this.gateways.push(gw); // before any await: names stay unique when gateways start together
    gw.port = await freePort();
    gw.metricsPort = await freePort();
    gw.proc = new HeraldProcess('gateway', { name: gw.name, port: gw.port, metricsPort: gw.metricsPort, env: this.env, cwd: this.cwd });
    await gw.proc.start({ t0: this.t0 });
    this.log(`${gw.name} ready on :${gw.port}`);
    return gw;
  }

  /** One nginx reload at a time, each with the gateways in rotation at that moment. */
  route() {
    this.reloads = this.reloads.then(() => this.nginx.setGateways(this.inRotation.map((g) => g.port)));
    return this.reloads;
  }

  /** Scale-up: each pod starts, passes its readiness probe (/readyz), and only then joins the endpoints. */
  async scaleUp(count) {
    await Promise.all(
      Array.from({ length: count }, async () => {
        const gw = await this.startGateway();
        gw.inRotation = true;
        await this.route();
        gw.inRotationAtMs = since(this.t0);
      }),
    );
  }

  /**
   * Scale-down: the endpoints lose the pods (nginx reload), preStop waits,
   * SIGTERM (the gateway goes not-ready and closes its sockets with 1012
   * spread over HERALD_DRAIN_MS), SIGKILL if one outlives its grace period.
   * Picks the most loaded gateways: the worst case for reconnects (the
   * ReplicaSet controller would pick the youngest pods, which hold fewer).
   */
  async scaleDown(count) {
    const candidates = this.inRotation;
    const load = await Promise.all(candidates.map((g) => connectionsOn(g.metricsPort).catch(() => 0)));
    const picked = candidates.map((g, i) => ({ g, sockets: load[i] })).sort((a, b) => b.sockets - a.sockets).slice(0, count);
    for (const { g } of picked) g.inRotation = false;
    await this.route();
    for (const { g } of picked) g.outOfRotationAtMs = since(this.t0);
    this.log(`removed ${picked.map(({ g, sockets }) => `${g.name} (${sockets} sockets)`).join(', ')} from nginx; preStop ${this.preStopMs} ms`);
    await sleep(this.preStopMs);
    await Promise.all(
      picked.map(async ({ g }) => {
        g.draining = true;
        g.sigtermAtMs = since(this.t0);
        g.exit = await g.proc.stop('SIGTERM', this.drainMs + GRACE_MARGIN_MS);
        this.log(`${g.name} exited (${g.exit.signal ?? `code ${g.exit.code}`}) ${since(this.t0) - g.sigtermAtMs} ms after SIGTERM`);
      }),
    );
  }

  /** Everything left, SIGTERM (no sockets remain, so the drain is short), SIGKILL past the grace. */
  stopAll() {
    return Promise.all(this.gateways.map((g) => g.proc?.stop('SIGTERM', this.drainMs + 5000)));
  }

  /** For the report. */
  describe() {
    const round = (ms) => (ms === undefined ? undefined : Math.round(ms));
    return this.gateways.map((g) => ({
      name: g.name,
      port: g.port,
      startedAtMs: round(g.proc?.startedAt),
      readyAtMs: round(g.proc?.readyAt),
      inRotationAtMs: g.inRotationAtMs,
      outOfRotationAtMs: g.outOfRotationAtMs,
      sigtermAtMs: g.sigtermAtMs,
      exitedAtMs: round(g.proc?.exitedAt),
      exit: g.exit,
    }));
  }
}
