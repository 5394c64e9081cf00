import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Validator } from '@seriousme/openapi-schema-validator';
import { loadConfig } from '@herald/config';
import { createApiApp } from '../apps/api/src/create-api-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const COMMITTED = join(process.cwd(), 'docs/openapi.json');

interface Operation {
  operationId: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
}

const operationsOf = (document: { paths: Record<string, Record<string, Operation>> }): Operation[] => Object.values(document.paths).flatMap((item) => Object.values(item));

/** The 2xx answers of an operation that carry a body (all but 204), and whether each has a JSON schema. */
function successAnswers(operation: Operation): { status: string; schema: boolean }[] {
  return Object.entries(operation.responses)
    .filter(([status]) => /^2\d\d$/.test(status) && status !== '204')
    .map(([status, answer]) => {
      const schema = answer.content?.['application/json']?.schema;
      return { status, schema: Boolean(schema && (schema.$ref || schema.type || schema.allOf || schema.oneOf || schema.anyOf)) };
    });
}

/** The document an api booted with `env` serves, formatted as `npm run openapi` writes it. */
async function servedDocument(env: Record<string, string>): Promise<string> {
  const app: INestApplication = await createApiApp(loadConfig({ defaultPort: 0, env }));
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/openapi.json`);
    return `${JSON.stringify(await res.json(), null, 2)}\n`;
  } finally {
    await app.close();
  }
}

/** Undefined when the texts are equal; otherwise `fix` and the first line that differs, as each side has it. */
function firstDifference(sides: Record<string, string>, fix: string): string | undefined {
  const [[nameA, textA], [nameB, textB]] = Object.entries(sides);
  if (textA === textB) return undefined;
  const a = textA.split('\n');
  const b = textB.split('\n');
  const at = a.findIndex((line, i) => line !== b[i]);
  const n = at === -1 ? a.length : at;
  return `${fix} First difference, line ${n + 1}: ${nameA} has ${a[n]?.trim() ?? '(end)'}; ${nameB} has ${b[n]?.trim() ?? '(end)'}`;
}

describe('docs/openapi.json', () => {
  let db: TestDatabase;
  const base = () => ({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: '2',
    HERALD_JWT_SECRET: 's'.repeat(32),
    HERALD_RETENTION_INTERVAL_MS: '0',
    LOG_LEVEL: 'silent',
  });

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('is the document the api serves at /openapi.json', async () => {
    const sut = await servedDocument(base());

    const committed = readFileSync(COMMITTED, 'utf8');

    expect(firstDifference({ 'docs/openapi.json': committed, 'the app': sut }, 'docs/openapi.json is out of date: run `npm run openapi` and commit the result.')).toBeUndefined();
  });

  it('does not depend on how the api is configured, so `npm run openapi` writes the same file everywhere', async () => {
    const defaults = await servedDocument(base());

    const sut = await servedDocument({
      ...base(),
      NODE_ENV: 'production',
      HERALD_HTTP_BODY_LIMIT: '4096',
      HERALD_IDEMPOTENCY_TTL_HOURS: '48',
      HERALD_PUBLISH_RATE_PER_SECOND: '5',
      HERALD_REDIS_PREFIX: 'elsewhere:',
    });

    expect(
      firstDifference({ 'the default configuration': defaults, 'the tuned one': sut }, 'The served document must not vary with configuration: describe a limit by its default and variable.'),
    ).toBeUndefined();
  });

  it('is a valid OpenAPI 3 document whose references all resolve', async () => {
    const document = JSON.parse(readFileSync(COMMITTED, 'utf8'));

    const sut = new Validator();

    await expect(sut.validate(document)).resolves.toEqual({ valid: true });
    expect(sut.version).toMatch(/^3\./);
  });

  it('gives every operation a unique id and, behind a credential, its 401 and 403 answers with the shared error body', () => {
    const document = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    const operations = operationsOf(document);

    expect(new Set(operations.map((o) => o.operationId)).size).toBe(operations.length);
    for (const operation of operations.filter((o) => o.security?.length)) {
      expect({ id: operation.operationId, 401: operation.responses['401'], 403: operation.responses['403'] }).toMatchObject({
        401: { $ref: '#/components/responses/Unauthorized' },
        403: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      });
    }
  });

  it('describes the body of every success answer with a schema', () => {
    const operations = operationsOf(JSON.parse(readFileSync(COMMITTED, 'utf8')));

    const missing = operations.flatMap((o) => successAnswers(o).filter((a) => !a.schema).map((a) => `${o.operationId} ${a.status}`));

    expect({ missing }).toEqual({ missing: [] });
    expect(operations.flatMap(successAnswers).filter((a) => a.schema).length).toBeGreaterThan(20);
  });
});
