export * from './address-policy.js';
export * from './endpoint-policy.js';
export * from './guarded-lookup.js';
export * from './outbound-client.js';
export * from './outbound-errors.js';
