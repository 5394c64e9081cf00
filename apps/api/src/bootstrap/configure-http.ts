import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { AuditLog, ClientAddress } from '@herald/observability';
import { AuthFailureAudit } from '../errors/auth-failure-audit.js';
import { HttpExceptionFilter } from '../errors/http-exception.filter.js';
import { createValidationPipe } from '../errors/validation-pipe.js';
import { publishNotificationFastLane } from '../notifications/publish-notification.fast-lane.js';
import { servePublishWithoutNestLayers } from '../notifications/publish-route.js';
import { createOpenApiDocument } from '../openapi/openapi-document.js';
import { limitRequestsPerAddress } from '../rate-limit/ip-rate-limit.hook.js';

export interface HttpOptions {
  /**
   * Serve POST /v1/notifications through Nest's own handler instead of
   * publish-route.ts. Only for the test that holds the two to the same
   * answers.
   */
  nestPublishHandler?: boolean;
}

/** The per-address budget, validation, error shape and OpenAPI (the body limit is the adapter's, http-adapter.ts): shared by the api and embedded mode. */
export function configureHttp(app: INestApplication, options: HttpOptions = {}): void {
  const errors = new HttpExceptionFilter(app.getHttpAdapter(), new AuthFailureAudit(app.get(AuditLog), app.get(ClientAddress)));
  app.useGlobalFilters(errors);
  limitRequestsPerAddress(app, errors);
  const pipe = createValidationPipe([publishNotificationFastLane]);
  app.useGlobalPipes(pipe);
  if (!options.nestPublishHandler) servePublishWithoutNestLayers(app, pipe, errors);
  const document = createOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  app.enableShutdownHooks();
  keepIdleConnectionsLongerThanProxies(app);
}

/**
 * Node closes an idle keep-alive connection after 5 s; nginx (upstream
 * `keepalive`, 60 s idle) and cloud load balancers keep theirs longer, and a
 * request sent on a connection Node is closing at that moment fails with 502.
 * The backend must outlive the proxy: 65 s, headers timeout above it.
 */
function keepIdleConnectionsLongerThanProxies(app: INestApplication): void {
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}
