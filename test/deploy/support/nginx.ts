import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { portAccepts } from '../../../scripts/harness/network.mjs';
import {
  NGINX_BIN,
  nginxArgs as siteArgs,
  sitePaths,
  spawnNginx,
  stopNginx as stopChildNginx,
  writeHeraldSite,
  writeNginxConf,
} from '../../../scripts/harness/nginx-site.mjs';
import { removeDir, tempDir } from '../../../scripts/harness/paths.mjs';
import { pollUntil } from '../../../scripts/harness/wait.mjs';

export const nginxBin = NGINX_BIN;

export interface NginxSite {
  dir: string;
  conf: string;
  port: number;
}

/**
 * deploy/nginx/herald.conf on loopback, exactly as its header comment says:
 * our own upstreams.conf, limits.conf (the shipped one, or by default its
 * zones counting nothing: every test client is one loopback address), the
 * listen port and the cert paths substituted, all included from a minimal
 * nginx.conf in a temp dir.
 */
export function writeSite(opts: { port: number; gateways: number[]; apis: number[]; limits?: 'shipped' | 'off'; workerConnections?: number }): NginxSite {
  const dir = tempDir('herald-nginx', { mode: 0o755 }); // workers may run as nobody when the tests run as root
  try {
    const servers = (ports: number[]) => ports.map((p) => `server 127.0.0.1:${p};`).join(' ');
    writeFileSync(
      join(dir, 'upstreams.conf'),
      `upstream gateway { least_conn; ${servers(opts.gateways)} }\nupstream api { ${servers(opts.apis)} keepalive 4; }\n`,
    );
    writeHeraldSite(dir, opts.port, { limits: opts.limits });
    writeNginxConf(dir, { includes: ['upstreams.conf', 'limits.conf', 'herald.conf'], workerConnections: opts.workerConnections });
  } catch (error) {
    removeDir(dir);
    throw error;
  }
  return { dir, conf: sitePaths(dir).conf, port: opts.port };
}

export const nginxArgs = (site: NginxSite) => siteArgs(site.dir);

/** Starts nginx in the foreground as our child, resolved once its port accepts. */
export async function startNginx(site: NginxSite): Promise<ChildProcess> {
  const child = spawnNginx(site.dir);
  if (await pollUntil(() => portAccepts(site.port), { timeoutMs: 5000, intervalMs: 50 })) return child;
  child.kill();
  throw new Error('nginx did not start');
}

export async function stopNginx(child: ChildProcess | undefined, site: NginxSite | undefined): Promise<void> {
  if (child) await stopChildNginx(child);
  if (site) removeDir(site.dir);
}
