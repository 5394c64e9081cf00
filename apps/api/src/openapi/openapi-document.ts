import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { addErrorAnswers } from './error-answers.js';
import { routeFacts } from './route-facts.js';

/** `InboxController.list` → `inboxList`: stable ids for generated clients, unique across controllers. */
const operationId = (controller: string, method: string): string => {
  const base = controller.replace(/Controller$/, '');
  return `${base[0].toLowerCase()}${base.slice(1)}${method[0].toUpperCase()}${method.slice(1)}`;
};

/** The OpenAPI document the api serves at /openapi.json and `npm run openapi` commits. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const factsKeys = new Map<string, string>();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Herald')
      .setDescription('Notification service: ingest, inbox, tickets, topics. Errors share one body (`Error`) with a stable `code`. WebSocket protocol: docs/protocol.md')
      .setVersion('1')
      // One scheme for both credentials: a JWT, or for services an API key (hrld_…, docs/protocol.md#api-keys).
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A JWT; services may send an API key (hrld_…) instead' })
      .build(),
    {
      operationIdFactory: (controller, method) => {
        const id = operationId(controller, method);
        factsKeys.set(id, `${controller}.${method}`);
        return id;
      },
    },
  );
  addErrorAnswers(document, routeFacts(app), (id) => factsKeys.get(id) ?? id);
  return document;
}
