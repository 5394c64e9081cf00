export * from './data-source.js';
export * from './database.js';
export * from './database.module.js';
export * from './notification-reader.js';
export * from './notification-row.js';
export * from './run-migrations.js';
