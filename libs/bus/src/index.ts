export * from './bus.js';
export * from './in-process-bus.js';
export * from './redis-bus.js';
export * from './bus.module.js';
export * from './ticket-store.js';
