export * from './metrics.js';
export * from './drain-state.js';
export * from './health.controller.js';
export * from './redact.js';
export * from './logger.js';
export * from './observability.module.js';
export * from './label-budget.js';
