import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoPath } from './repo.js';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw new Error(doc.errors.map(String).join('\n'));
    return doc.toJS() as K8sObject;
  });
}

function kustomize(dir: string): K8sObject[] {
  try {
    return parseManifests(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (error) {
    // Debian's old kubernetes-client lacks components and `patches`; a kubectl >= 1.27 (kustomize v5) is needed.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('kubectl not found: these tests need kubectl >= 1.27 on PATH', { cause: error });
    throw new Error(`kubectl kustomize ${dir} failed: ${(error as { stderr?: string }).stderr ?? error}`, { cause: error });
  }
}

/** The overlays users apply with `kubectl apply -k k8s/overlays/<name>`. */
export const overlays = ['dev', 'prod'] as const;
export type Overlay = (typeof overlays)[number];

export const renderOverlay = (name: Overlay): K8sObject[] => kustomize(repoPath('k8s/overlays', name));

/**
 * base + an optional component, the way an overlay would enable it. The temp
 * kustomization points back with relative paths: kustomize refuses absolute ones.
 */
export function renderBaseWithComponent(component: string): K8sObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'herald-kustomize-'));
  try {
    const rel = (p: string) => relative(dir, repoPath(p));
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'namespace: herald-test',
        `resources: [${rel('k8s/base')}]`,
        `components: [${rel(`k8s/components/${component}`)}]`,
        'images: [{ name: herald, newTag: test }]',
      ].join('\n'),
    );
    return kustomize(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function find(objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name);
}

export function get(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = find(objects, kind, name);
  if (!found) throw new Error(`${kind}/${name} not rendered`);
  return found;
}
