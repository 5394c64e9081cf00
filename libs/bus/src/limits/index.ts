export * from './rate-limiter.js';
export * from './flexible-rate-limiter.js';
export * from './rate-limits.js';
export * from './leased-rate-limiter.js';
