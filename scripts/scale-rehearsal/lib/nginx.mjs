// Debian's nginx on loopback in front of the api and the gateways, with
// deploy/nginx/herald.conf substituted exactly as its header comment says
// (our upstreams, a loopback port, a generated cert), the same way as
// test/deploy/support/nginx.ts. Scaling rewrites upstreams.conf and reloads,
// which is what the endpoints controller and ingress-nginx do in Kubernetes.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { track, httpGet } from './processes.mjs';
import { ROOT, sleep } from './util.mjs';

/** Debian's nginx; run.mjs checks it exists before anything starts. */
export const NGINX_BIN = '/usr/sbin/nginx';
const repoFile = (path) => fileURLToPath(new URL(path, ROOT));

export class Nginx {
  child = null;
  generation = 0;
  gateways = [];

  /**
   * @param {{ port: number, controlPort: number, apiPort: number, workerConnections: number }} o
   */
  constructor(o) {
    Object.assign(this, o);
    this.dir = mkdtempSync(join(tmpdir(), 'herald-rehearsal-nginx-'));
    chmodSync(this.dir, 0o755); // workers run as nobody when the script runs as root
    this.conf = join(this.dir, 'nginx.conf');
    this.errorLog = join(this.dir, 'error.log');
  }

  get ca() {
    return readFileSync(join(this.dir, 'certs', 'tls.crt'));
  }

  get args() {
    return ['-p', this.dir, '-c', this.conf, '-e', this.errorLog];
  }

  errorLogTail(chars = 4000) {
    return existsSync(this.errorLog) ? readFileSync(this.errorLog, 'utf8').slice(-chars) : '';
  }

  /** Self-signed cert (openssl, via gen-cert.sh), herald.conf, nginx.conf. */
  writeSite(gatewayPorts) {
    execFileSync('sh', [repoFile('deploy/nginx/gen-cert.sh'), join(this.dir, 'certs')], { stdio: 'ignore' });
    const site = readFileSync(repoFile('deploy/nginx/herald.conf'), 'utf8')
      .replace(/#.*$/gm, '') // comments dropped so the check below sees directives only
      .replace(/^(\s*)listen 8443 ssl;/m, `$1listen 127.0.0.1:${this.port} ssl;`)
      .replaceAll('/etc/nginx/certs/', `${this.dir}/certs/`);
    if (site.includes('listen 8443') || site.includes('/etc/nginx/')) {
      throw new Error('herald.conf changed its substitution points; update its header and scripts/scale-rehearsal/lib/nginx.mjs');
    }
    writeFileSync(join(this.dir, 'herald.conf'), site);
    this.writeUpstreams(gatewayPorts);
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${this.dir}/${t}_temp;`);
    writeFileSync(
      this.conf,
      [
        `pid ${this.dir}/nginx.pid;`,
        'worker_processes auto;',
        `error_log ${this.errorLog} warn;`,
        `worker_rlimit_nofile ${this.workerConnections * 2};`,
        `events { worker_connections ${this.workerConnections}; }`,
        'http {',
        '  access_log off;',
        ...temp,
        `  include ${this.dir}/upstreams.conf;`,
        `  include ${this.dir}/herald.conf;`,
        // Not part of the edge: answers which configuration generation the
        // workers run, so a reload is known to have landed.
        `  include ${this.dir}/control.conf;`,
        '}',
      ].join('\n'),
    );
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
    const child = spawn(NGINX_BIN, [...this.args, '-g', 'daemon off;'], { stdio: 'ignore' });
    this.child = child;
    track(child, 'nginx');
    if (!(await this.serving(this.generation, 5000))) throw new Error(`nginx did not start:\n${this.errorLogTail()}`);
  }

  async serving(generation, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; i < 1000 && Date.now() < deadline; i++) {
      if (this.child.exitCode !== null) return false;
      const res = await httpGet(this.controlPort, '/generation', 500).catch(() => undefined);
      if (res?.status === 200 && Number(res.body) >= generation) return true;
      await sleep(20);
    }
    return false;
  }

  /**
   * Points the `gateway` upstream at exactly these ports: rewrite, `nginx -s
   * reload`, and wait until new workers answer with the new configuration.
   * Old workers keep the sockets they hold (no worker_shutdown_timeout) and
   * accept no new ones.
   */
  async setGateways(gatewayPorts) {
    this.writeUpstreams(gatewayPorts);
    await promisify(execFile)(NGINX_BIN, [...this.args, '-s', 'reload'], { timeout: 10_000 });
    if (!(await this.serving(this.generation, 10_000))) throw new Error(`nginx reload ${this.generation} did not land:\n${this.errorLogTail()}`);
  }

  /** Fast shutdown (SIGTERM): the master takes its old and new workers along. */
  async stop() {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
