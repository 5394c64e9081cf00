import { existsSync } from 'node:fs';
import { parse } from 'yaml';
import { npmScript, readRepoFile, repoPath, schemaEnvNames } from './support/repo.js';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, unknown>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test?: unknown; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  stop_grace_period?: string;
}

// merge: compose files share settings through `<<: *anchor`.
const sut = parse(readRepoFile('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = Object.entries(sut.services);
/** Services running the Herald image built from this repo. */
const herald = services.filter(([, s]) => s.build !== undefined);
const seconds = (d: string) => Number(d.replace(/s$/, ''));

describe('docker-compose.yml', () => {
  it('runs postgres, redis, migrate, api, gateway, worker and nginx', () => {
    expect(Object.keys(sut.services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'migrate', 'api', 'gateway', 'worker', 'nginx']));
    expect(herald.map(([name]) => name).sort()).toEqual(['api', 'gateway', 'migrate', 'worker']);
  });

  it('pins every pulled image to a major (or minor) tag, never latest', () => {
    for (const [name, s] of services.filter(([, x]) => x.build === undefined)) {
      expect([name, s.image]).toEqual([name, expect.stringMatching(/^[a-z0-9./-]+:\d+(\.\d+)?(-[a-z0-9.]+)?$/)]);
    }
  });

  it('sets only environment names from libs/config/src/config.schema.ts on Herald services', () => {
    const known = schemaEnvNames();
    const names = herald.flatMap(([, s]) => Object.keys(s.environment ?? {}));
    expect(names).toEqual(expect.arrayContaining(['NODE_ENV', 'DATABASE_URL', 'REDIS_URL', 'HERALD_JWT_SECRET']));
    expect([...new Set(names)].filter((n) => !known.has(n))).toEqual([]);
  });

  it('gives the migrate step the database URL and nothing else (no token key, no Redis)', () => {
    expect(sut.services.migrate.environment).toEqual({ DATABASE_URL: sut.services.api.environment?.DATABASE_URL });
  });

  it('refuses to start without secrets instead of defaulting them', () => {
    const env = sut.services.api.environment ?? {};
    expect(env.HERALD_JWT_SECRET).toMatch(/^\$\{HERALD_JWT_SECRET:\?.+\}$/);
    expect(env.DATABASE_URL).toMatch(/\$\{POSTGRES_PASSWORD:\?.+\}/);
    expect(sut.services.postgres.environment?.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?.*\}$/);
  });

  it('runs the contract commands: gateway and migrate override the image CMD', () => {
    expect(sut.services.gateway.command?.join(' ')).toBe(npmScript('start:gateway'));
    expect(sut.services.worker.command?.join(' ')).toBe(npmScript('start:worker'));
    expect(sut.services.worker.environment?.PORT).toBe(3002);
    expect(sut.services.migrate.command?.join(' ')).toBe(npmScript('migrate'));
    expect(sut.services.api.command).toBeUndefined();
    expect([sut.services.api.environment?.PORT, sut.services.gateway.environment?.PORT]).toEqual([3000, 3001]);
  });

  it('migrates after postgres is healthy and starts the apps after migrate succeeded', () => {
    expect(sut.services.migrate.depends_on?.postgres).toEqual({ condition: 'service_healthy' });
    for (const app of ['api', 'gateway', 'worker']) {
      expect(sut.services[app].depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' });
    }
    expect(sut.services.postgres.healthcheck?.test).toEqual(['CMD-SHELL', expect.stringContaining('pg_isready')]);
    expect(sut.services.redis.healthcheck?.test).toEqual(expect.arrayContaining([expect.stringContaining('redis-cli')]));
  });

  it('scales the gateway to several replicas without host ports, each drained before kill', () => {
    const gateway = sut.services.gateway;
    expect(gateway.deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(gateway.ports).toBeUndefined();
    expect(seconds(gateway.stop_grace_period ?? '10s')).toBeGreaterThan(Number(gateway.environment?.HERALD_DRAIN_MS) / 1000);
  });

  it("gives the worker more time to stop than its running jobs get after SIGTERM (20 s)", () => {
    expect(seconds(sut.services.worker.stop_grace_period ?? '10s')).toBeGreaterThan(20);
    expect(sut.services.worker.ports).toBeUndefined();
  });

  it('publishes one port only, on nginx, matching the port herald.conf listens on', () => {
    const published = services.flatMap(([name, s]) => (s.ports ?? []).map((p) => [name, p]));
    expect(published).toHaveLength(1);
    const [name, mapping] = published[0];
    expect(name).toBe('nginx');
    const containerPort = mapping.split(':').at(-1);
    expect(readRepoFile('deploy/nginx/herald.conf')).toMatch(new RegExp(`^\\s*listen ${containerPort} ssl;`, 'm'));
  });

  it('mounts nginx config and cert script files that exist in the repo', () => {
    const mounts = services.flatMap(([, s]) => s.volumes ?? []).filter((v) => v.startsWith('./'));
    expect(mounts.length).toBeGreaterThanOrEqual(3);
    for (const mount of mounts) expect([mount, existsSync(repoPath(mount.split(':')[0]))]).toEqual([mount, true]);
  });

  it('waits for the self-signed cert before nginx starts', () => {
    expect(sut.services.nginx.depends_on?.certs).toEqual({ condition: 'service_completed_successfully' });
  });
});
