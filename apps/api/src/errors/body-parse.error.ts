/**
 * A request body that is not JSON, not UTF-8 or in an unknown
 * Content-Encoding (bootstrap/json-body.ts, compressed-body.ts);
 * HttpExceptionFilter answers it 400 `validation_failed` with a fixed text.
 */
export class BodyParseError extends Error {
  readonly statusCode = 400;
  constructor(readonly reason: 'not_json' | 'charset' | 'encoding') {
    super(reason === 'not_json' ? 'request body is not valid JSON' : `unsupported ${reason}`);
  }
}
