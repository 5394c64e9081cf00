import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRepoFile, repoPath } from './repo.js';

export const nginxBin = '/usr/sbin/nginx';

export interface NginxSite {
  dir: string;
  conf: string;
  port: number;
}

/** A TCP port that was free a moment ago on loopback. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * deploy/nginx/herald.conf on loopback, exactly as its header comment says:
 * our own upstreams.conf, the listen port and the cert paths substituted,
 * both included from a minimal nginx.conf in a temp dir.
 */
export function writeSite(opts: { port: number; gateways: number[]; apis: number[] }): NginxSite {
  const dir = mkdtempSync(join(tmpdir(), 'herald-nginx-'));
  chmodSync(dir, 0o755); // workers may run as nobody when the tests run as root
  execFileSync('sh', [repoPath('deploy/nginx/gen-cert.sh'), join(dir, 'certs')], { stdio: 'ignore' });
  const servers = (ports: number[]) => ports.map((p) => `server 127.0.0.1:${p};`).join(' ');
  writeFileSync(
    join(dir, 'upstreams.conf'),
    `upstream gateway { least_conn; ${servers(opts.gateways)} }\nupstream api { ${servers(opts.apis)} keepalive 4; }\n`,
  );
  // Comments dropped so that the check below sees directives only.
  const site = readRepoFile('deploy/nginx/herald.conf')
    .replace(/#.*$/gm, '')
    .replace(/^(\s*)listen 8443 ssl;/m, `$1listen 127.0.0.1:${opts.port} ssl;`)
    .replaceAll('/etc/nginx/certs/', `${dir}/certs/`);
  if (site.includes('listen 8443') || site.includes('/etc/nginx/')) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error('herald.conf changed its substitution points; update its header and this helper');
  }
  writeFileSync(join(dir, 'herald.conf'), site);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir}/${t}_temp;`);
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    [
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log warn;`,
      'events { worker_connections 256; }',
      'http {',
      '  access_log off;',
      ...temp.map((t) => `  ${t}`),
      `  include ${dir}/upstreams.conf;`,
      `  include ${dir}/herald.conf;`,
      '}',
    ].join('\n'),
  );
  return { dir, conf, port: opts.port };
}

export const nginxArgs = (site: NginxSite) => ['-p', site.dir, '-c', site.conf, '-e', join(site.dir, 'error.log')];

/** Starts nginx in the foreground as our child, resolved once its port accepts. */
export async function startNginx(site: NginxSite): Promise<ChildProcess> {
  const child = spawn(nginxBin, [...nginxArgs(site), '-g', 'daemon off;'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i += 1) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(site.port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      }).on('error', () => resolve(false));
    });
    if (up) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill();
  throw new Error('nginx did not start');
}

export async function stopNginx(child: ChildProcess | undefined, site: NginxSite | undefined): Promise<void> {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  if (site) rmSync(site.dir, { recursive: true, force: true });
}
