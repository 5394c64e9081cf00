import ts from 'typescript';
import { repoPath } from './repo.js';
import type { K8sObject } from './kustomize.js';

/** Custom resources kubernetes-models has no class for; the specs check their shape. */
export const customResourceKinds = new Set(['monitoring.coreos.com/v1/ServiceMonitor']);

const modulePath = (apiVersion: string) => `kubernetes-models/${apiVersion}`;

/**
 * Validates against the Kubernetes OpenAPI schema through kubernetes-models
 * (`new Deployment(obj).validate()`), picking the class from apiVersion and
 * kind. Returns the error text, or undefined when valid.
 */
export async function schemaError(o: K8sObject): Promise<string | undefined> {
  const mod = (await import(modulePath(o.apiVersion))) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = mod[o.kind];
  if (!Model) return `no kubernetes-models class for ${o.apiVersion} ${o.kind}`;
  try {
    new Model(o).validate();
    return undefined;
  } catch (error) {
    return String(error);
  }
}

/**
 * The schema validator above ignores unknown fields, so a typo such as
 * `readinesProbe` would pass (and the API server would drop it). TypeScript's
 * excess-property check over kubernetes-models' interfaces catches those:
 * every object becomes `const o0: IDeployment = {...}` in one virtual file.
 */
export function unknownFieldErrors(objects: K8sObject[]): string[] {
  const lines = objects.map((o, i) => {
    const label = `${o.kind}/${o.metadata.name}`;
    return `import type { I${o.kind} as T${i} } from '${modulePath(o.apiVersion)}';\n` +
      `// ${label}\nexport const o${i}: T${i} = ${JSON.stringify(o)};`;
  });
  const fileName = repoPath('test/deploy/__manifests__.ts');
  const source = lines.join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => (f === fileName ? source : readFile(f));
  host.fileExists = (f) => f === fileName || fileExists(f);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (f, lang) =>
    f === fileName ? ts.createSourceFile(f, source, lang) : getSourceFile(f, lang);
  const program = ts.createProgram([fileName], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return text;
    const line = d.file.getLineAndCharacterOfPosition(d.start).line;
    return `${d.file.text.split('\n')[line - 1] ?? ''}: ${text}`;
  });
}
