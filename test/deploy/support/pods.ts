import type { IContainer, IPodSpec, IPodTemplateSpec } from 'kubernetes-models/v1';
import type { K8sObject } from './kustomize.js';

const workloadKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

export const isWorkload = (o: K8sObject): boolean => workloadKinds.has(o.kind);

export function podTemplate(o: K8sObject): IPodTemplateSpec {
  const spec = o.spec as { template?: IPodTemplateSpec } | undefined;
  if (!spec?.template?.spec) throw new Error(`${o.kind}/${o.metadata.name} has no pod template`);
  return spec.template;
}

export const podSpec = (o: K8sObject): IPodSpec => podTemplate(o).spec as IPodSpec;

export const allContainers = (spec: IPodSpec): IContainer[] => [...(spec.initContainers ?? []), ...spec.containers];

export function container(o: K8sObject, name: string): IContainer {
  const found = allContainers(podSpec(o)).find((c) => c.name === name);
  if (!found) throw new Error(`${o.kind}/${o.metadata.name} has no container ${name}`);
  return found;
}

/** Seconds a preStop hook waits, from `exec: [sleep, N]` or the native `sleep` action. */
export function preStopSleepSeconds(c: IContainer): number {
  const preStop = c.lifecycle?.preStop;
  if (preStop?.sleep) return Number(preStop.sleep.seconds);
  const cmd = preStop?.exec?.command ?? [];
  const match = cmd.join(' ').match(/\bsleep\s+(\d+)/);
  return match ? Number(match[1]) : 0;
}

/** True when `port` (name or number) is one of the container's ports. */
export function hasPort(c: IContainer, port: number | string | undefined): boolean {
  return (c.ports ?? []).some((p) => p.name === port || p.containerPort === Number(port));
}

/** The value an env var gets in a container: its own `env` first, then ConfigMaps from envFrom. */
export function envValue(c: IContainer, name: string, objects: K8sObject[]): string | undefined {
  const direct = c.env?.find((e) => e.name === name);
  if (direct) return direct.value;
  for (const from of c.envFrom ?? []) {
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === from.configMapRef?.name);
    const data = (cm?.data ?? {}) as Record<string, string>;
    if (name in data) return data[name];
  }
  return undefined;
}
