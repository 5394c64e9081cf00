export * from './herald-error.js';
export * from './common-errors.js';
