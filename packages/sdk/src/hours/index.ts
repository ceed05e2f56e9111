// Working hours: when a lead may be called, in the shop's and the customer's own time zones.
export { canCallAt } from './can-call-at.js';
export { CALL_WINDOW_SEARCH_DAYS, nextCallWindow } from './next-call-window.js';
export { type WorkingHours, type WorkingHoursInput, workingHoursSchema } from './schema.js';
export { shopDay } from './shop-day.js';
export { isIanaZone } from './zone.js';
