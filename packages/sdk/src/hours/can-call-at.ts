import { compileRules, isCallable } from './call-rules.js';
import type { WorkingHours } from './schema.js';

/**
 * Whether the customer may be called at `instant`: inside the shop's hours in the shop's zone and,
 * when the customer's zone is known, outside their quiet hours in their own zone.
 *
 * Pure: the instant is an argument. Throws a RangeError for an invalid date or an unknown zone,
 * which the lead and hours schemas already refuse at the edge.
 */
export function canCallAt(instant: Date, hours: WorkingHours, customerTz?: string): boolean {
  return isCallable(epochMs(instant), compileRules(hours, customerTz));
}

export function epochMs(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid date: expected a valid instant');
  return ms;
}
