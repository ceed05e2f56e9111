export type { CallOptions } from './call-options.js';
export { Clock, SystemClock, type TimerHandle } from './clock.js';
export * from './crm.js';
export * from './errors.js';
export * from './lead-store.js';
export * from './notifier.js';
export * from './pending-calls.js';
export * from './sms.js';
export * from './voice.js';
