export * from './config.schema.js';
export * from './herald-config.js';
export * from './load-config.js';
export * from './config.module.js';
export * from './topic-namespaces.js';
export * from './http-server.js';
