export { Clock, SystemClock, type TimerHandle } from './clock.js';
export * from './crm.js';
export * from './errors.js';
export * from './lead-store.js';
export * from './notifier.js';
export * from './sms.js';
export { StoreBusyError } from './store-errors.js';
export * from './voice.js';
