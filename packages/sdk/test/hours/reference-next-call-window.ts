import { type CallRules, compileRules, epochMs } from '../../src/hours/call-rules.js';
import { MINUTES_PER_DAY } from '../../src/hours/clock-time.js';
import { CALL_WINDOW_SEARCH_DAYS, type WorkingHours } from '../../src/hours/index.js';
import { isCallable, localDates, offsetTransitions, wallClockInstants } from './reference-wall-clock.js';

// The first nextCallWindow, kept as a reference for the fast one: it builds every instant of the 14
// days at which calling can become allowed (offsets sampled hourly, opening times through Luxon),
// sorts them and checks each with the Luxon-based isCallable. About 4–17 ms a call; the property
// tests compare the two. Not a test file itself: vitest only runs *.test.ts.

const DAY_MS = 86_400_000;

export function referenceNextCallWindow(
  instant: Date,
  hours: WorkingHours,
  customerTz?: string,
): Date | null {
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
