import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1';
import type { IService } from 'kubernetes-models/v1';
import { schemaEnvNames } from './support/repo.js';
import { find, overlays, renderBaseWithComponent, renderOverlay, type K8sObject } from './support/kustomize.js';
import { allContainers, hasPort, isWorkload, podSpec, podTemplate } from './support/pods.js';

/** Made by hand in the cluster (docs/deployment.md), so never rendered by prod. */
const externalSecrets = new Set(['herald-secrets', 'herald-tls']);

const matches = (selector: Record<string, string> = {}, labels: Record<string, string> = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

const podsSelectedBy = (objects: K8sObject[], selector?: Record<string, string>) =>
  objects.filter((o) => isWorkload(o) && matches(selector, podTemplate(o).metadata?.labels));

const renders: Array<[string, () => K8sObject[]]> = [
  ...overlays.map((name) => [`overlay ${name}`, () => renderOverlay(name)] as [string, () => K8sObject[]]),
  ['base + components/migrate-job', () => renderBaseWithComponent('migrate-job')],
];

describe.each(renders)('Kubernetes cross-references: %s', (_label, render) => {
  const sut = render();
  const workloads = sut.filter(isWorkload);
  const services = sut.filter((o) => o.kind === 'Service') as unknown as Array<IService & K8sObject>;

  it('selects pods of exactly one workload with every Service, on a port the pods have', () => {
    for (const svc of services) {
      const targets = podsSelectedBy(sut, svc.spec?.selector);
      expect([svc.metadata.name, targets.length]).toEqual([svc.metadata.name, 1]);
      const containers = podSpec(targets[0]).containers;
      for (const port of svc.spec?.ports ?? []) {
        expect([svc.metadata.name, containers.some((c) => hasPort(c, port.targetPort ?? port.port))]).toEqual([svc.metadata.name, true]);
      }
    }
  });

  it('matches each workload selector to its own pod template labels', () => {
    for (const w of workloads.filter((o) => o.kind !== 'Job')) {
      const selector = (w.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
      expect(matches(selector, podTemplate(w).metadata?.labels)).toBe(true);
    }
  });

  it('points every probe at a port the container declares', () => {
    for (const c of workloads.flatMap((w) => allContainers(podSpec(w)))) {
      for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) {
        if (probe?.httpGet) expect([c.name, hasPort(c, probe.httpGet.port)]).toEqual([c.name, true]);
      }
    }
  });

  it('scrapes (prometheus.io annotations) a port the pod declares', () => {
    for (const w of workloads.filter((o) => o.kind === 'Deployment')) {
      const annotations = podTemplate(w).metadata?.annotations ?? {};
      expect(annotations['prometheus.io/scrape']).toBe('true');
      expect(annotations['prometheus.io/path']).toBe('/metrics');
      expect(podSpec(w).containers.some((c) => hasPort(c, Number(annotations['prometheus.io/port'])))).toBe(true);
    }
  });

  it('aims PodDisruptionBudgets at existing pods and autoscalers at existing Deployments', () => {
    for (const pdb of sut.filter((o) => o.kind === 'PodDisruptionBudget')) {
      const selector = (pdb.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
      expect([pdb.metadata.name, podsSelectedBy(sut, selector).length]).toEqual([pdb.metadata.name, 1]);
    }
    for (const hpa of sut.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
      const ref = (hpa.spec as { scaleTargetRef: { kind: string; name: string } }).scaleTargetRef;
      expect(find(sut, ref.kind, ref.name)).toBeDefined();
    }
  });

  it('routes every Ingress path to an existing Service and named/numbered port', () => {
    for (const ing of sut.filter((o) => o.kind === 'Ingress') as unknown as IIngress[]) {
      for (const path of ing.spec?.rules?.flatMap((r) => r.http?.paths ?? []) ?? []) {
        const backend = path.backend.service!;
        const svc = services.find((s) => s.metadata.name === backend.name);
        expect([path.path, svc !== undefined]).toEqual([path.path, true]);
        const ok = svc!.spec!.ports!.some((p) => p.name === backend.port?.name || p.port === backend.port?.number);
        expect([path.path, ok]).toEqual([path.path, true]);
      }
    }
  });

  it('references only ConfigMaps and Secrets that are rendered (or made by hand)', () => {
    const has = (kind: string, name?: string) => !!name && (find(sut, kind, name) !== undefined || externalSecrets.has(name));
    for (const c of workloads.flatMap((w) => allContainers(podSpec(w)))) {
      for (const from of c.envFrom ?? []) expect([c.name, has('ConfigMap', from.configMapRef?.name)]).toEqual([c.name, true]);
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) expect([e.name, has('Secret', ref.name)]).toEqual([e.name, true]);
      }
    }
  });

  it('uses only environment names from libs/config/src/config.schema.ts', () => {
    const known = schemaEnvNames();
    const names = new Set<string>();
    for (const o of sut.filter((x) => x.kind === 'ConfigMap' || x.kind === 'Secret')) {
      if (!o.metadata.name.startsWith('herald-tls')) Object.keys((o.data ?? {}) as object).forEach((k) => names.add(k));
    }
    for (const c of workloads.flatMap((w) => allContainers(podSpec(w)))) {
      for (const e of c.env ?? []) {
        names.add(e.name);
        if (e.valueFrom?.secretKeyRef) names.add(e.valueFrom.secretKeyRef.key);
        if (e.valueFrom?.configMapKeyRef) names.add(e.valueFrom.configMapKeyRef.key);
      }
    }
    expect(names.size).toBeGreaterThan(10);
    expect([...names].filter((n) => !known.has(n))).toEqual([]);
  });

  it('has no session affinity anywhere', () => {
    for (const svc of services) expect([undefined, 'None']).toContain(svc.spec?.sessionAffinity);
    for (const o of sut) {
      const keys = Object.keys(o.metadata.annotations ?? {});
      expect(keys.filter((k) => /affinity|session-cookie|upstream-hash-by/.test(k))).toEqual([]);
    }
  });
});
