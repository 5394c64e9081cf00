import { customResourceKinds, schemaError, unknownFieldErrors } from './support/k8s-models.js';
import { overlays, renderBaseWithComponent, renderOverlay, type K8sObject } from './support/kustomize.js';

const isCustom = (o: K8sObject) => customResourceKinds.has(`${o.apiVersion}/${o.kind}`);

const renders: Array<[string, () => K8sObject[]]> = [
  ...overlays.map((name) => [`overlay ${name}`, () => renderOverlay(name)] as [string, () => K8sObject[]]),
  ['base + components/migrate-job', () => renderBaseWithComponent('migrate-job')],
];

describe.each(renders)('Kubernetes schemas: %s', (_label, render) => {
  const sut = render();

  it('renders objects, each with apiVersion, kind and name', () => {
    expect(sut.length).toBeGreaterThan(5);
    for (const o of sut) {
      expect(o).toEqual(expect.objectContaining({ apiVersion: expect.any(String), kind: expect.any(String) }));
      expect(o.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    }
  });

  it('validates every built-in object against its kubernetes-models schema', async () => {
    const errors: string[] = [];
    // One at a time: Jest's ESM loader fails on concurrent imports of one module graph.
    for (const o of sut.filter((x) => !isCustom(x))) {
      const error = await schemaError(o);
      if (error) errors.push(`${o.kind}/${o.metadata.name}: ${error}`);
    }
    expect(errors).toEqual([]);
  });

  it('has no unknown or mistyped fields in built-in objects', () => {
    expect(unknownFieldErrors(sut.filter((o) => !isCustom(o)))).toEqual([]);
  });

  it('gives custom resources (ServiceMonitor) a spec with a selector and endpoints', () => {
    for (const o of sut.filter(isCustom)) {
      const spec = o.spec as { selector?: { matchLabels?: object }; endpoints?: Array<{ port?: string }> };
      expect(spec.selector?.matchLabels).toBeDefined();
      expect(spec.endpoints?.length).toBeGreaterThan(0);
    }
  });

  it('puts every object in the one namespace the overlay sets', () => {
    const namespaces = new Set(sut.filter((o) => o.kind !== 'Namespace').map((o) => o.metadata.namespace));
    expect(namespaces.size).toBe(1);
  });
});

describe('Kubernetes schemas: the checks themselves', () => {
  const deployment = (container: object): K8sObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x' },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [container] } } },
  });

  it('reports a misspelled field', () => {
    const sut = unknownFieldErrors([deployment({ name: 'c', image: 'i', readinesProbe: {} })]);
    expect(sut.join('\n')).toMatch(/readinesProbe/);
  });

  it('reports a schema violation', async () => {
    const sut = await schemaError(deployment({ image: 'i' }));
    expect(sut).toMatch(/name/);
  });
});
