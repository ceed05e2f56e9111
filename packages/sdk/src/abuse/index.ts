// The abuse guard: per-phone and per-IP limits, and the shop's daily ceilings of calls and SMS.
export { AbuseGuard, type Admission, phoneOfLead } from './abuse-guard.js';
export { ipKey } from './ip-key.js';
