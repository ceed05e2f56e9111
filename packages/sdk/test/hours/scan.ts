import { expect } from 'vitest';
import {
  CALL_WINDOW_SEARCH_DAYS,
  canCallAt,
  nextCallWindow,
  type WorkingHours,
} from '../../src/hours/index.js';
import { DAY_MS, MINUTE_MS } from './arbitraries.js';

// The oracle of the property tests: nextCallWindow must agree with canCallAt checked step by step.
// Not a test file itself: vitest only runs *.test.ts.

export const QUARTER_MS = 15 * MINUTE_MS;

/**
 * The first instant in [from, until) at which canCallAt is true, looking at `from` and then at every
 * multiple of `stepMs` after it; null if none.
 *
 * Exhaustive when callability is constant within each step. Since 1972 every zone's offset is a
 * whole number of minutes (and a multiple of 15: +05:45 Kathmandu, +12:45 Chatham) changing on a
 * whole minute, so with callability decided on local wall-clock minutes a one-minute step always is,
 * and a fifteen-minute step is when all configured times are quarter hours (a rare switch at an odd
 * minute, such as Gaza's 00:01, only makes that scan see less, never fail wrongly).
 */
export function firstCallable(
  from: number,
  until: number,
  stepMs: number,
  hours: WorkingHours,
  customerTz: string | undefined,
): number | null {
  if (from < until && canCallAt(new Date(from), hours, customerTz)) return from;
  for (let at = Math.floor(from / stepMs + 1) * stepMs; at < until; at += stepMs) {
    if (canCallAt(new Date(at), hours, customerTz)) return at;
  }
  return null;
}

/** nextCallWindow's answer checked against a scan of every step before it. */
export function checkAgainstScan(
  instant: Date,
  hours: WorkingHours,
  customerTz: string | undefined,
  stepMs: number,
): Date | null {
  const result = nextCallWindow(instant, hours, customerTz);
  const from = instant.getTime();
  if (result === null) {
    // Nothing callable in the whole search range, its last instant included.
    const end = from + CALL_WINDOW_SEARCH_DAYS * DAY_MS;
    expect(firstCallable(from, end, stepMs, hours, customerTz)).toBeNull();
    expect(canCallAt(new Date(end), hours, customerTz)).toBe(false);
    return null;
  }
  expect(result.getTime()).toBeGreaterThanOrEqual(from);
  expect(result.getTime()).toBeLessThanOrEqual(from + CALL_WINDOW_SEARCH_DAYS * DAY_MS);
  expect(canCallAt(result, hours, customerTz)).toBe(true);
  expect(firstCallable(from, result.getTime(), stepMs, hours, customerTz)).toBeNull();
  // The window opens exactly there, not somewhere inside the minute before it.
  if (result.getTime() > from)
    expect(canCallAt(new Date(result.getTime() - 1), hours, customerTz)).toBe(false);
  return result;
}
