import { loadConfig } from '@herald/config';
import { PUBLISH_POOL_SIZE } from '@herald/database';
import { QUEUE_CONNECTIONS } from '../../apps/worker/src/queue/job-queue.js';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { get, overlays, renderOverlay, type K8sObject } from './support/kustomize.js';
import { container, envValue, podSpec, preStopSleepSeconds } from './support/pods.js';
import { npmScript, readRepoFile } from './support/repo.js';

/** Seconds left after preStop + drain for closing Redis/Postgres and exiting. */
const shutdownMarginSeconds = 5;

const hpa = (objects: K8sObject[]) =>
  objects.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'herald-gateway') as
    | (IHorizontalPodAutoscaler & K8sObject)
    | undefined;

describe.each(overlays)('Kubernetes operations: overlay %s', (overlay) => {
  const sut = renderOverlay(overlay);
  const gateway = get(sut, 'Deployment', 'herald-gateway');
  const api = get(sut, 'Deployment', 'herald-api');
  const worker = get(sut, 'Deployment', 'herald-worker');

  it('gives a stopping gateway more grace than preStop + drain window + margin', () => {
    const c = container(gateway, 'gateway');
    const preStop = preStopSleepSeconds(c);
    const drainSeconds = Number(envValue(c, 'HERALD_DRAIN_MS', sut)) / 1000;
    expect(preStop).toBeGreaterThanOrEqual(3);
    expect(drainSeconds).toBeGreaterThan(0);
    expect(podSpec(gateway).terminationGracePeriodSeconds).toBeGreaterThanOrEqual(preStop + drainSeconds + shutdownMarginSeconds);
  });

  it('probes readiness on /readyz and liveness on /healthz in both apps', () => {
    for (const c of [container(gateway, 'gateway'), container(api, 'api')]) {
      expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
      expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
      expect(preStopSleepSeconds(c)).toBeGreaterThan(0);
    }
  });

  it('runs the contract commands on the contract ports', () => {
    const gw = container(gateway, 'gateway');
    expect(gw.command?.join(' ')).toBe(npmScript('start:gateway'));
    expect(envValue(gw, 'PORT', sut)).toBe('3001');
    // The api relies on the image's default CMD (test/deploy/dockerfile.spec.ts).
    expect(container(api, 'api').command).toBeUndefined();
    expect(envValue(container(api, 'api'), 'PORT', sut)).toBe('3000');
  });

  it('runs the worker with its probes and contract command, a PDB, and more grace than its job drain', () => {
    const c = container(worker, 'worker');
    expect(c.command?.join(' ')).toBe(npmScript('start:worker'));
    expect(envValue(c, 'PORT', sut)).toBe('3002');
    expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
    // JobQueue.stop gives running jobs 20 s after SIGTERM.
    expect(podSpec(worker).terminationGracePeriodSeconds).toBeGreaterThanOrEqual(20 + shutdownMarginSeconds);
    const pdb = get(sut, 'PodDisruptionBudget', 'herald-worker') as K8sObject & { spec: { maxUnavailable: number; selector: { matchLabels: Record<string, string> } } };
    expect(pdb.spec.selector.matchLabels['app.kubernetes.io/component']).toBe('worker');
    expect(pdb.spec.maxUnavailable).toBe(1);
    const only = (get(sut, 'NetworkPolicy', 'herald-worker') as unknown as INetworkPolicy).spec!;
    expect(only.ingress!.map((r) => [r.from!.map((f) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']), r.ports!.map((p) => p.port)])).toEqual([
      [['monitoring'], ['metrics']],
    ]);
  });

  it('migrates in an initContainer of the api, so the schema precedes the new api code', () => {
    const [migrate] = podSpec(api).initContainers ?? [];
    expect(migrate.command?.join(' ')).toBe(npmScript('migrate'));
    expect(migrate.image).toBe(container(api, 'api').image);
    // Only what migrations need: no token key, no Redis URL, no app tuning.
    expect(migrate.env?.map((e) => e.name)).toEqual(['DATABASE_URL']);
    expect(migrate.envFrom).toBeUndefined();
  });

  it('sets requests and limits and runs as non-root on every container', () => {
    for (const w of [gateway, api, worker]) {
      expect(podSpec(w).securityContext?.runAsNonRoot).toBe(true);
      for (const c of [...(podSpec(w).initContainers ?? []), ...podSpec(w).containers]) {
        expect(c.resources?.requests).toEqual(expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }));
        expect(c.resources?.limits).toEqual(expect.objectContaining({ memory: expect.anything() }));
        expect(c.securityContext?.allowPrivilegeEscalation).toBe(false);
      }
    }
  });

  it('keeps ingress idle timeouts above the heartbeat and sends /ws to the gateway', () => {
    const ing = get(sut, 'Ingress', 'herald') as K8sObject & { spec: { rules: Array<{ http: { paths: Array<{ path: string; backend: { service: { name: string } } }> } }>; tls?: unknown[] } };
    const a = ing.metadata.annotations ?? {};
    const heartbeatSeconds = Number(envValue(container(gateway, 'gateway'), 'HERALD_HEARTBEAT_MS', sut)) / 1000;
    expect(heartbeatSeconds).toBeGreaterThan(0);
    for (const key of ['proxy-read-timeout', 'proxy-send-timeout']) {
      expect(Number(a[`nginx.ingress.kubernetes.io/${key}`])).toBeGreaterThanOrEqual(Math.max(75, 2 * heartbeatSeconds));
    }
    expect(a['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('256k');
    const routes = Object.fromEntries(ing.spec.rules[0].http.paths.map((p) => [p.path, p.backend.service.name]));
    expect(routes).toEqual({ '/ws': 'herald-gateway', '/': 'herald-api' });
    expect(ing.spec.tls?.length).toBe(1);
  });

  it('serves metrics on a port of their own, named metrics on the pod and on the Service', () => {
    for (const [w, name] of [[gateway, 'gateway'], [api, 'api'], [worker, 'worker']] as const) {
      const c = container(w, name);
      const port = c.ports?.find((p) => p.name === 'metrics')?.containerPort;
      expect([name, Number(envValue(c, 'HERALD_METRICS_PORT', sut))]).toEqual([name, port]);
      expect(port).not.toBe(Number(envValue(c, 'PORT', sut)));
      const service = get(sut, 'Service', `herald-${name}`) as K8sObject & { spec: { ports: Array<{ name: string; targetPort: string }> } };
      expect(service.spec.ports).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'metrics', targetPort: 'metrics' })]));
    }
  });

  it('limits each client address at the ingress, as deploy/nginx does', () => {
    const a = get(sut, 'Ingress', 'herald').metadata.annotations ?? {};
    for (const key of ['limit-rps', 'limit-burst-multiplier', 'limit-connections']) {
      expect([key, Number(a[`nginx.ingress.kubernetes.io/${key}`])]).toEqual([key, expect.any(Number)]);
      expect(Number(a[`nginx.ingress.kubernetes.io/${key}`])).toBeGreaterThan(0);
    }
    // Herald believes the controller's X-Forwarded-For, so its own budgets see the clients too.
    expect(envValue(container(api, 'api'), 'HERALD_TRUSTED_PROXIES', sut)).toBeDefined();
  });

  it('serves TLS for the routed host and allows browsers from it (when origins are set)', () => {
    const ing = get(sut, 'Ingress', 'herald') as K8sObject & { spec: { rules: Array<{ host: string }>; tls: Array<{ hosts: string[]; secretName: string }> } };
    const host = ing.spec.rules[0].host;
    expect(ing.spec.tls[0]).toEqual({ hosts: [host], secretName: 'herald-tls' });
    const origins = envValue(container(gateway, 'gateway'), 'HERALD_ALLOWED_ORIGINS', sut);
    if (origins !== undefined) expect(origins.split(',')).toContain(`https://${host}`);
  });

  it('lets only the ingress controller (to http) and Prometheus (to metrics) reach the apps, and only Herald pods reach the datastores', () => {
    const edge = get(sut, 'NetworkPolicy', 'herald-edge') as unknown as INetworkPolicy;
    const sources = edge.spec!.ingress!.map((r) => [r.from!.map((f) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']), r.ports!.map((p) => p.port)]);
    expect(sources).toEqual([
      [['ingress-nginx'], ['http']],
      [['monitoring'], ['metrics']],
    ]);
    for (const [name, port, from] of [['herald-postgres', 5432, ['api', 'gateway', 'worker', 'migrate']], ['herald-redis', 6379, ['api', 'gateway', 'worker']]] as const) {
      const policy = get(sut, 'NetworkPolicy', name) as unknown as INetworkPolicy;
      const [rule] = policy.spec!.ingress!;
      expect(policy.spec!.policyTypes).toEqual(['Ingress']);
      expect(rule.from!.map((f) => f.podSelector?.matchExpressions?.[0].values)).toEqual([from]);
      expect(rule.ports).toEqual([{ port, protocol: 'TCP' }]);
    }
  });

  it('lets Herald pods connect out only to DNS, the datastores and public https', () => {
    const egress = (get(sut, 'NetworkPolicy', 'herald-egress') as unknown as INetworkPolicy).spec!;
    expect(egress.policyTypes).toEqual(['Egress']);
    const ports = egress.egress!.flatMap((r) => r.ports!.map((p) => `${p.protocol}/${p.port}`));
    expect(ports.sort()).toEqual(['TCP/443', 'TCP/53', 'TCP/5432', 'TCP/6379', 'UDP/53']);
    const https = egress.egress!.find((r) => r.ports!.some((p) => p.port === 443))!;
    expect(https.to![0].ipBlock!.except).toEqual(expect.arrayContaining(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16']));
  });
});

describe('Kubernetes operations: overlay differences', () => {
  const dev = renderOverlay('dev');
  const prod = renderOverlay('prod');

  it('runs one gateway without an autoscaler in dev', () => {
    expect((get(dev, 'Deployment', 'herald-gateway').spec as { replicas?: number }).replicas).toBe(1);
    expect(hpa(dev)).toBeUndefined();
  });

  it('lets the autoscaler own 3..20 gateways in prod, on CPU', () => {
    const sut = hpa(prod)!;
    expect((get(prod, 'Deployment', 'herald-gateway').spec as { replicas?: number }).replicas).toBeUndefined();
    expect(sut.apiVersion).toBe('autoscaling/v2');
    expect([sut.spec?.minReplicas, sut.spec?.maxReplicas]).toEqual([3, 20]);
    expect(sut.spec?.metrics?.[0].resource?.name).toBe('cpu');
  });

  it('generates a Secret in dev only, whose committed JWT key the app refuses until replaced; prod ships no secret values', () => {
    const secret = dev.find((o) => o.kind === 'Secret' && o.metadata.name.startsWith('herald-secrets-'));
    const data = (secret?.data ?? {}) as Record<string, string>;
    expect(Object.keys(data).sort()).toEqual(['DATABASE_URL', 'HERALD_JWT_SECRET', 'REDIS_URL']);
    const env = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    // Base sets NODE_ENV=production; a key everyone who cloned the repo knows must not start.
    expect(() => loadConfig({ defaultPort: 3000, env: { ...env, NODE_ENV: 'production' } })).toThrow(/placeholder/);
    expect(prod.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  it("keeps docs/deployment.md's Postgres connection budget equal to what prod can open at its maximum", () => {
    const defaultPool = loadConfig({ defaultPort: 3000, env: {} }).database.poolSize;
    const pool = (o: K8sObject, name: string) => Number(envValue(container(o, name), 'DATABASE_POOL_SIZE', prod) ?? defaultPool);
    const replicas = (o: K8sObject) => (o.spec as { replicas?: number }).replicas ?? 1;
    const [api, gateway, worker] = ['api', 'gateway', 'worker'].map((name) => get(prod, 'Deployment', `herald-${name}`));
    const parts = [
      [replicas(api), pool(api, 'api') + PUBLISH_POOL_SIZE],
      [hpa(prod)!.spec!.maxReplicas, pool(gateway, 'gateway')],
      [replicas(worker), pool(worker, 'worker') + QUEUE_CONNECTIONS],
    ];
    const documented = readRepoFile('docs/deployment.md').replace(/\s+/g, ' ').match(/At prod maximum that is ([\d ×+]+) = (\d+)/);
    expect(documented?.[1].trim()).toBe(parts.map(([n, each]) => `${n} × ${each}`).join(' + '));
    expect(Number(documented?.[2])).toBe(parts.reduce((sum, [n, each]) => sum + n * each, 0));
  });

  it('adds a ServiceMonitor for the Prometheus Operator in prod only', () => {
    const sut = get(prod, 'ServiceMonitor', 'herald') as K8sObject & { spec: { endpoints: Array<{ port: string; path: string }> } };
    expect(sut.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(sut.spec.endpoints).toEqual([expect.objectContaining({ port: 'metrics', path: '/metrics' })]);
    expect(dev.some((o) => o.kind === 'ServiceMonitor')).toBe(false);
  });

  it('pins a non-latest image tag in both overlays', () => {
    for (const objects of [dev, prod]) {
      const image = container(get(objects, 'Deployment', 'herald-gateway'), 'gateway').image ?? '';
      expect(image).toMatch(/:[\w.-]+$/);
      expect(image).not.toMatch(/:latest$/);
    }
  });
});
