// The edge of the rehearsal: nginx on loopback in front of the api and the
// gateways, with deploy/nginx/herald.conf substituted as its header says
// (scripts/harness/nginx-site.mjs). Scaling rewrites upstreams.conf and
// reloads, which is what the endpoints controller and ingress-nginx do in
// Kubernetes.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { track } from '../../harness/child-processes.mjs';
import { httpGet } from '../../harness/network.mjs';
import { errorLogTail, NGINX_BIN, nginxArgs, sitePaths, spawnNginx, stopNginx, writeHeraldSite, writeNginxConf } from '../../harness/nginx-site.mjs';
import { removeDir, tempDir } from '../../harness/paths.mjs';
import { pollUntil } from '../../harness/wait.mjs';

/** run.mjs checks it exists before anything starts. */
export { NGINX_BIN };

export class Nginx {
  child = null;
  generation = 0;
  gateways = [];

  /**
   * @param {{ port: number, controlPort: number, apiPort: number, workerConnections: number, shutdownTimeoutMs?: number }} o
   *   shutdownTimeoutMs: nginx's worker_shutdown_timeout, after which an old worker closes the sockets it still
   *   holds after a reload (default: unset, old workers keep them until they end)
   */
  constructor(o) {
    Object.assign(this, o);
    this.dir = tempDir('herald-rehearsal-nginx', { mode: 0o755 }); // workers run as nobody when the script runs as root
  }

  get ca() {
    return readFileSync(sitePaths(this.dir).cert);
  }

  errorLogTail(chars = 4000) {
    return errorLogTail(this.dir, chars);
  }

  /** Self-signed cert, herald.conf, limits (counting nothing: every client is 127.0.0.1), upstreams and nginx.conf. */
  writeSite(gatewayPorts) {
    writeHeraldSite(this.dir, this.port, { limits: 'off' });
    this.writeUpstreams(gatewayPorts);
    writeNginxConf(this.dir, {
      main: [
        'worker_processes auto;',
        `worker_rlimit_nofile ${this.workerConnections * 2};`,
        ...(this.shutdownTimeoutMs ? [`worker_shutdown_timeout ${this.shutdownTimeoutMs}ms;`] : []),
      ],
      workerConnections: this.workerConnections,
      // control.conf is not part of the edge: it answers which configuration
      // generation the workers run, so a reload is known to have landed.
      includes: ['upstreams.conf', 'limits.conf', 'herald.conf', 'control.conf'],
    });
  }

  writeUpstreams(gatewayPorts) {
    this.generation += 1;
    this.gateways = [...gatewayPorts];
    const servers = gatewayPorts.map((p) => `server 127.0.0.1:${p};`).join(' ');
    // As deploy/nginx/upstreams.conf, minus `resolve`: a zone, so that every
    // worker's least_conn sees the same counts, and api keepalive.
    writeFileSync(
      join(this.dir, 'upstreams.conf'),
      [
        `upstream gateway { zone gateway 64k; least_conn; ${servers} }`,
        `upstream api { zone api 64k; least_conn; server 127.0.0.1:${this.apiPort}; keepalive 16; }`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(this.dir, 'control.conf'),
      `server { listen 127.0.0.1:${this.controlPort}; location = /generation { return 200 "${this.generation}"; } }\n`,
    );
  }

  /** Starts nginx in the foreground as our child; resolves once it serves this generation. */
  async start() {
    this.child = track(spawnNginx(this.dir), 'nginx', { killSignal: 'SIGTERM' });
    if (!(await this.serving(this.generation, 5000))) throw new Error(`nginx did not start:\n${this.errorLogTail()}`);
  }

  async serving(generation, timeoutMs) {
    const outcome = await pollUntil(
      async () => {
        if (this.child.exitCode !== null) return 'exited';
        const res = await httpGet(this.controlPort, '/generation', 500).catch(() => undefined);
        return res?.status === 200 && Number(res.body) >= generation && 'serving';
      },
      { timeoutMs, intervalMs: 20 },
    );
    return outcome === 'serving';
  }

  /**
   * Points the `gateway` upstream at exactly these ports: rewrite, `nginx -s
   * reload`, and wait until new workers answer with the new configuration.
   * Old workers keep the sockets they hold (until worker_shutdown_timeout,
   * when set) and accept no new ones.
   */
  async setGateways(gatewayPorts) {
    this.gateways = [...gatewayPorts];
    await this.reload();
  }

  /** `nginx -s reload` (an operator's config push) and wait until new workers serve the current generation. */
  async reload() {
    this.writeUpstreams(this.gateways);
    await promisify(execFile)(NGINX_BIN, [...nginxArgs(this.dir), '-s', 'reload'], { timeout: 10_000 });
    if (!(await this.serving(this.generation, 10_000))) throw new Error(`nginx reload ${this.generation} did not land:\n${this.errorLogTail()}`);
  }

  /** Fast shutdown: the master takes its old and new workers along. */
  async stop() {
    if (this.child) await stopNginx(this.child);
    removeDir(this.dir);
  }
}
