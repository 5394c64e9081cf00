import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';

// A CommonJS module whose `default` is also itself: the one spelling both TypeScript (nodenext) and Node's loader accept.
const addFormats = formats.default;

type Json = Record<string, unknown>;

/** The OpenAPI keys that are not JSON Schema: ajv (strict) must know to leave them alone. */
const NOT_SCHEMA = ['openapi', 'info', 'tags', 'servers', 'paths', 'components', 'security', 'example'];

/**
 * Every object schema that lists its properties gets `additionalProperties:
 * false` (unless it says otherwise), in this copy only: a field a route
 * answers but the document does not name must fail, not slip through.
 */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (!node || typeof node !== 'object') return node;
  const out: Json = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, closeObjects(v)]));
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

const escape = (part: string) => part.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * Validators for the answers docs/openapi.json describes, with its `$ref`s
 * resolved against the document's own components: the schema of an answer
 * is addressed by JSON pointer into the whole document.
 */
export class OpenApiSchemas {
  readonly document: Json;
  private readonly ajv: Ajv;

  constructor(path = join(process.cwd(), 'docs/openapi.json')) {
    this.document = JSON.parse(readFileSync(path, 'utf8')) as Json;
    // Ajv 8 reads OpenAPI 3.0's `nullable` itself; strict: an unknown keyword in the document is an error, not ignored.
    this.ajv = new Ajv({ strict: true, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addVocabulary(NOT_SCHEMA);
    this.ajv.addSchema({ ...(closeObjects(this.document) as Json), $id: 'openapi.json' });
  }

  /** The validator of `method path`'s `status` answer (path as in the document: `/v1/webhooks/{id}`); throws when it has no JSON schema. */
  answer(method: string, path: string, status: number): ValidateFunction {
    const pointer = ['paths', path, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema'].map(escape).join('/');
    const validate = this.ajv.getSchema(`openapi.json#/${pointer}`);
    if (!validate) throw new Error(`docs/openapi.json has no JSON schema for ${method} ${path} ${status}`);
    return validate;
  }

  /** The problems of `body` against the answer's schema, as `instancePath message` lines; empty when it conforms. */
  problems(method: string, path: string, status: number, body: unknown): string[] {
    const validate = this.answer(method, path, status);
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
  }
}
