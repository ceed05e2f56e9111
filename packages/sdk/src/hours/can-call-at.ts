import { compileRules, epochMs } from './call-rules.js';
import { callableAt } from './next-call-window.js';
import type { WorkingHours } from './schema.js';

/**
 * Whether the customer may be called at `instant`: inside the shop's hours in the shop's zone and,
 * when the customer's zone is known, outside their quiet hours in their own zone.
 *
 * Pure: the instant is an argument. Throws a RangeError for an invalid date or an unknown zone,
 * which the lead and hours schemas already refuse at the edge.
 */
export function canCallAt(instant: Date, hours: WorkingHours, customerTz?: string): boolean {
  return callableAt(compileRules(hours, customerTz), epochMs(instant));
}
