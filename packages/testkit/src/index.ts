// The public surface of @prozvon/testkit: the loopback simulators and the helpers they share.
export * from './bitrix24/index.js';
export * from './core/index.js';
export * from './sms/index.js';
export * from './telegram/index.js';
export * from './voximplant/index.js';
