import { type CallRules, compileRules, isCallable } from './call-rules.js';
import { epochMs } from './can-call-at.js';
import { MINUTES_PER_DAY } from './clock-time.js';
import type { WorkingHours } from './schema.js';
import { localDates, offsetTransitions, wallClockInstants } from './wall-clock.js';

/** How far ahead nextCallWindow looks before it gives up. */
export const CALL_WINDOW_SEARCH_DAYS = 14;

const DAY_MS = 86_400_000;

/**
 * The first instant at or after `instant` at which canCallAt is true: `instant` itself when calling
 * is allowed now, or `null` when no such instant comes within 14 days (every day closed, or the
 * shop's hours always fall in the customer's night). A waiting lead sleeps exactly until then.
 *
 * Pure: the instant is an argument. Throws a RangeError for an invalid date or an unknown zone.
 */
export function nextCallWindow(instant: Date, hours: WorkingHours, customerTz?: string): Date | null {
  const start = epochMs(instant);
  const rules = compileRules(hours, customerTz);
  if (isCallable(start, rules)) return new Date(start);
  const end = start + CALL_WINDOW_SEARCH_DAYS * DAY_MS;
  const candidates = windowOpenings(rules, start, end)
    .filter((at) => at > start && at <= end)
    .sort((a, b) => a - b);
  const first = candidates.find((at) => isCallable(at, rules));
  return first === undefined ? null : new Date(first);
}

/**
 * Every instant near [start, end] at which calling can become allowed. Callability depends only on
 * the two zones' wall clocks, which run steadily except when an offset changes; so between offset
 * changes it can only turn on when the shop's clock reaches an opening time or the customer's clock
 * reaches the end of quiet hours. Offset changes are candidates themselves: a spring-forward gap can
 * swallow an opening time (the window then opens at the switch), and a fall-back can move a clock
 * back into open hours.
 */
function windowOpenings(rules: CallRules, start: number, end: number): number[] {
  const openings = offsetTransitions(rules.shopZone, start, end);
  for (const date of localDates(rules.shopZone, start, end)) {
    const open = rules.week[date.weekday - 1];
    if (open) openings.push(...wallClockInstants(rules.shopZone, date, open.from));
  }
  if (rules.quiet) {
    const { zone, span } = rules.quiet;
    openings.push(...offsetTransitions(zone, start, end));
    for (const date of localDates(zone, start, end)) {
      // Quiet hours ending at 24:00 end at the next day's midnight.
      openings.push(
        ...(span.to === MINUTES_PER_DAY
          ? wallClockInstants(zone, date.plus({ days: 1 }), 0)
          : wallClockInstants(zone, date, span.to)),
      );
    }
  }
  return openings;
}
