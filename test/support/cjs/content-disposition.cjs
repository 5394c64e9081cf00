/* global module */
// Under jest only (jest.config.js maps `content-disposition` here). @fastify/static,
// which serves the Swagger UI's assets at /docs, require()s content-disposition,
// and its version 3 is ESM only: Node 20.19+ loads that, jest's CommonJS runtime
// on Node 20 refuses it, and the api would stop at startup. @fastify/static calls
// it only for a download (reply.download), which Herald never sends.
function contentDisposition() {
  throw new Error('content-disposition is not available under jest (see test/support/cjs/content-disposition.cjs)');
}
module.exports = contentDisposition;
