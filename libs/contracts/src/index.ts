export * from './close-codes.js';
export * from './notification.js';
export * from './errors.js';
export * from './frames.js';
export * from './channels.js';
export * from './protocol.js';
export * from './admin.js';
export * from './multicast.js';
