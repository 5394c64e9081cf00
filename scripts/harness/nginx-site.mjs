// Debian's nginx on loopback with deploy/nginx/herald.conf substituted
// exactly as its header comment says (a loopback port, a generated cert; the
// caller writes the upstreams), everything it writes in one directory. The
// nginx e2e tests and the scale rehearsal both run the edge through this.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopChild } from './child-processes.mjs';
import { repoPath } from './paths.mjs';

/** Debian's nginx (.ci/run apt-installs it). */
export const NGINX_BIN = '/usr/sbin/nginx';

/** Where the files of a site in `dir` go. */
export const sitePaths = (dir) => ({ conf: join(dir, 'nginx.conf'), errorLog: join(dir, 'error.log'), cert: join(dir, 'certs', 'tls.crt') });

/** Command-line prefix for any nginx call on the site in `dir` (start, `-t`, `-s reload`). */
export const nginxArgs = (dir) => ['-p', dir, '-c', sitePaths(dir).conf, '-e', sitePaths(dir).errorLog];

/**
 * A self-signed cert in `dir`/certs (gen-cert.sh), `dir`/herald.conf: the
 * repository's, listening on 127.0.0.1:`port` with the cert paths moved into
 * `dir`, and `dir`/limits.conf: the repository's with `limits: 'shipped'`,
 * or (default `'off'`, for load from one loopback address) its zones keyed
 * by "" so that nginx counts nothing. Include limits.conf before herald.conf.
 * Throws when herald.conf's substitution points changed.
 */
export function writeHeraldSite(dir, port, { limits = 'off' } = {}) {
  writeLimits(dir, limits);
  execFileSync('sh', [repoPath('deploy/nginx/gen-cert.sh'), join(dir, 'certs')], { stdio: 'ignore' });
  const site = readFileSync(repoPath('deploy/nginx/herald.conf'), 'utf8')
    .replace(/#.*$/gm, '') // comments dropped so the check below sees directives only
    .replace(/^(\s*)listen 8443 ssl;/m, `$1listen 127.0.0.1:${port} ssl;`)
    .replaceAll('/etc/nginx/certs/', `${dir}/certs/`);
  if (site.includes('listen 8443') || site.includes('/etc/nginx/')) {
    throw new Error('herald.conf changed its substitution points; update its header and scripts/harness/nginx-site.mjs');
  }
  writeFileSync(join(dir, 'herald.conf'), site);
}

function writeLimits(dir, limits) {
  const shipped = readFileSync(repoPath('deploy/nginx/limits.conf'), 'utf8');
  const keyless = shipped.replaceAll('$binary_remote_addr', '""');
  if (keyless === shipped) throw new Error('limits.conf no longer keys its zones by $binary_remote_addr; update scripts/harness/nginx-site.mjs');
  writeFileSync(join(dir, 'limits.conf'), limits === 'shipped' ? shipped : keyless);
}

/**
 * `dir`/nginx.conf: pid, error log and temp paths in `dir`, `main` lines
 * (default none) at top level, `workerConnections` (default 256), and
 * `includes` (files in `dir`, e.g. upstreams.conf then herald.conf) inside
 * `http { }`.
 */
export function writeNginxConf(dir, { includes, workerConnections = 256, main = [] }) {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t}_temp;`);
  writeFileSync(
    sitePaths(dir).conf,
    [
      `pid ${dir}/nginx.pid;`,
      `error_log ${sitePaths(dir).errorLog} warn;`,
      ...main,
      `events { worker_connections ${workerConnections}; }`,
      'http {',
      '  access_log off;',
      ...temp,
      ...includes.map((file) => `  include ${dir}/${file};`),
      '}',
    ].join('\n'),
  );
}

/** nginx in the foreground as our child, on the site in `dir`. */
export const spawnNginx = (dir) => spawn(NGINX_BIN, [...nginxArgs(dir), '-g', 'daemon off;'], { stdio: 'ignore' });

/** Fast shutdown (SIGTERM: the master takes its workers along), SIGKILL after 5 s. */
export const stopNginx = (child) => stopChild(child, 'SIGTERM', 5000);

export function errorLogTail(dir, chars = 4000) {
  const { errorLog } = sitePaths(dir);
  return existsSync(errorLog) ? readFileSync(errorLog, 'utf8').slice(-chars) : '';
}
