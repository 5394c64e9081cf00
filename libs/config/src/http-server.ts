/**
 * The bound on receiving a whole request: Node's own default, which Fastify
 * sets to none (every app's HTTP is Fastify). Without it a client trickling
 * a body holds its connection for ever.
 */
export const HTTP_REQUEST_TIMEOUT_MS = 300_000;
