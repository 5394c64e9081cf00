import type { OpenAPIObject } from '@nestjs/swagger';
import { ErrorCode } from '@herald/contracts';
import type { RouteFacts } from './route-facts.js';

type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;
type ResponsesObject = OperationObject['responses'];

/** Body of every error answer (`ApiError` in libs/contracts), as a schema. */
const ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'error', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer', example: 400 },
    error: { type: 'string', example: 'Bad Request' },
    code: { type: 'string', enum: Object.values(ErrorCode), description: 'Stable machine-readable code: branch on this, not on `message`' },
    message: { type: 'string', description: 'Fixed text for people; it never carries the cause' },
    details: {
      type: 'array',
      description: 'With `validation_failed`: one entry per bad field',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

const errorAnswer = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

/** Answers that read the same on every operation, shared as components; 403 and 429 depend on the route. */
const SHARED = {
  ValidationFailed: errorAnswer('`validation_failed`: a field, parameter or header is not valid; `details` names each'),
  Unauthorized: errorAnswer('`unauthorized` (missing, forged or unusable credential) or `token_expired`'),
  NotFound: errorAnswer("`not_found`: no such resource, or it is not the caller's (the same answer)"),
  IdempotencyConflict: errorAnswer('`idempotency_conflict`: this Idempotency-Key was used with a different body'),
  PayloadTooLarge: errorAnswer('`payload_too_large`: the body is over the limit'),
  Internal: errorAnswer('`internal_error`: logged on the server; the text says nothing more'),
  Unavailable: errorAnswer('`unavailable`: the database or Redis cannot answer now; retry with backoff'),
};
const shared = (name: keyof typeof SHARED) => ({ $ref: `#/components/responses/${name}` });

/**
 * Adds the error answers each operation can give (by what its guards and
 * inputs are, from `RouteFacts`), the `Error` schema they share, and the
 * scopes a service needs, to the description. Every error has the one body
 * shape and a stable `code`.
 */
export function addErrorAnswers(document: OpenAPIObject, facts: ReadonlyMap<string, RouteFacts>, factsKeyOf: (operationId: string) => string): void {
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Error: ERROR_SCHEMA },
    responses: { ...document.components?.responses, ...SHARED },
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of Object.values(item) as OperationObject[]) {
      if (!operation?.responses || !operation.operationId) continue;
      const route = facts.get(factsKeyOf(operation.operationId));
      if (!route) continue;
      // An answer the route declares itself (readyz's 503 with its own body) wins over the generic one.
      operation.responses = { ...errorsOf(path, operation, route), ...operation.responses };
      if (route.scopes.length) operation.description = withScopes(operation.description, route.scopes);
    }
  }
}

function errorsOf(path: string, operation: OperationObject, route: RouteFacts): ResponsesObject {
  const params = operation.parameters ?? [];
  const takesInput = Boolean(operation.requestBody) || params.length > 0;
  const idempotent = params.some((p) => 'name' in p && p.name === 'Idempotency-Key');
  const answers: ResponsesObject = {};
  if (takesInput) answers['400'] = shared('ValidationFailed');
  if (!route.public) {
    answers['401'] = shared('Unauthorized');
    answers['403'] = errorAnswer(route.scopes.length ? '`forbidden`: the credential lacks a required scope' : '`forbidden`: a service credential on a user route');
  }
  if (path.includes('{')) answers['404'] = shared('NotFound');
  if (idempotent) answers['409'] = shared('IdempotencyConflict');
  if (operation.requestBody) answers['413'] = shared('PayloadTooLarge');
  if (!route.public) {
    const budget = route.budget ? ` or the caller's \`${route.budget}\` budget` : '';
    answers['429'] = errorAnswer(`\`rate_limited\`: the client address's request budget${budget} is spent; see Retry-After`);
  }
  answers['500'] = shared('Internal');
  answers['503'] = shared('Unavailable');
  return answers;
}

function withScopes(description: string | undefined, scopes: string[]): string {
  const needs = `Requires a service credential with ${scopes.length > 1 ? 'scopes' : 'scope'} ${scopes.map((s) => `\`${s}\``).join(' and ')}.`;
  return description ? `${description}\n\n${needs}` : needs;
}
