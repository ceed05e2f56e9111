import { type CallRules, compileRules, epochMs, type MinuteSpan } from './call-rules.js';
import type { WorkingHours } from './schema.js';
import { steadyOffset } from './zone-offsets.js';

/** How far ahead nextCallWindow looks before it gives up. */
export const CALL_WINDOW_SEARCH_DAYS = 14;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * The first instant at or after `instant` at which canCallAt is true: `instant` itself when calling
 * is allowed now, or `null` when no such instant comes within 14 days (every day closed, or the
 * shop's hours always fall in the customer's night). A waiting lead sleeps exactly until then.
 *
 * Pure: the instant is an argument. Throws a RangeError for an invalid date or an unknown zone.
 */
export function nextCallWindow(instant: Date, hours: WorkingHours, customerTz?: string): Date | null {
  const start = epochMs(instant);
  // Compiled on every call (under 1 µs): a WeakMap per hours object would save that, but hand stale
  // rules to a caller that edits its hours object in place.
  const rules = compileRules(hours, customerTz);
  const end = start + CALL_WINDOW_SEARCH_DAYS * DAY_MS;
  const first = firstCallable(rules, start, end);
  return first === null ? null : new Date(first);
}

/**
 * Walks forward from `from` through stretches in which neither zone changes its UTC offset. In such
 * a stretch both wall clocks run steadily, so if calling is not allowed now it can only become
 * allowed when the shop's clock reaches its next opening time or the customer's clock the end of
 * quiet hours: the walk jumps there, or to the end of the stretch if that comes first, and looks
 * again. A spring-forward gap that swallows an opening time is thereby caught at the switch, and a
 * fall-back that repeats one at its second showing.
 *
 * This replaced a search that sampled each zone's offset hourly over the 14 days, built every
 * candidate opening with Luxon and sorted them (kept in test/hours as the reference). bench/hours.js,
 * Node 24, 10,000 night leads: p50 2.6 µs for a Moscow shop alone and 3–5 µs with a customer zone,
 * against 5.4 ms and 6.5–9.5 ms before; 41 µs when every call needs days nobody looked up yet.
 */
function firstCallable(rules: CallRules, from: number, end: number): number | null {
  for (let at = from; at <= end; ) {
    const shop = steadyOffset(rules.shopZone, at);
    const customer = rules.quiet && steadyOffset(rules.quiet.zone, at);
    const next = nextChance(rules, at, shop.offset, customer ? customer.offset : 0);
    if (next === at) return at;
    at = Math.min(next, shop.until, customer ? customer.until : Number.POSITIVE_INFINITY);
  }
  return null;
}

/**
 * Whether calling is allowed at `at`: the walk's own test, on wall clocks read from offsets that are
 * looked up once a day per zone. It replaced two Luxon DateTimes an instant (kept in test/hours as
 * the reference), a fifth of the CPU of deciding a new lead.
 */
export function callableAt(rules: CallRules, at: number): boolean {
  const customerOffset = rules.quiet ? steadyOffset(rules.quiet.zone, at).offset : 0;
  return nextChance(rules, at, steadyOffset(rules.shopZone, at).offset, customerOffset) === at;
}

/**
 * `at` if calling is allowed then; otherwise the earliest instant after it at which it may become
 * allowed, if both zones keep the given offsets (Infinity when the shop never opens).
 */
function nextChance(rules: CallRules, at: number, shopOffset: number, customerOffset: number): number {
  const shop = wallClock(at, shopOffset);
  const open = rules.week[weekday(shop.day)];
  if (!open || !inSpan(shop.time, open)) {
    const opening = nextOpening(rules.week, shop.day, shop.time);
    return opening === null ? Number.POSITIVE_INFINITY : instantOf(opening, shopOffset);
  }
  if (!rules.quiet) return at;
  const customer = wallClock(at, customerOffset);
  const wakeUp = endOfQuiet(rules.quiet.span, customer.day, customer.time);
  return wakeUp === null ? at : instantOf(wakeUp, customerOffset);
}

/**
 * The wall clock at `at` in a zone `offset` minutes ahead of UTC, as milliseconds since 1970-01-01
 * 00:00 on that clock. Computed exactly as Luxon's DateTime does (the same float expression,
 * truncated as `new Date` does), so that this agrees with canCallAt to the millisecond even for old
 * offsets in seconds.
 */
const wallMs = (at: number, offset: number): number => Math.trunc(at + offset * 60 * 1000);

function wallClock(at: number, offset: number): { day: number; time: number } {
  const wall = wallMs(at, offset);
  const day = Math.floor(wall / DAY_MS);
  return { day, time: wall - day * DAY_MS };
}

/** The first instant whose wall clock reads `wall` or later, at a steady `offset`. */
function instantOf(wall: number, offset: number): number {
  let at = Math.ceil(wall - offset * 60 * 1000);
  while (wallMs(at - 1, offset) >= wall) at -= 1;
  while (wallMs(at, offset) < wall) at += 1;
  return at;
}

/** Index into CallRules.week (0 is Monday) of a day counted from 1970-01-01, a Thursday. */
const weekday = (day: number): number => (((day + 3) % 7) + 7) % 7;

/** Whether a time of day in milliseconds lies in a span of minutes: the minute it falls in does. */
function inSpan(time: number, span: MinuteSpan): boolean {
  const from = span.from * MINUTE_MS;
  const to = span.to * MINUTE_MS;
  return from < to ? from <= time && time < to : time >= from || time < to;
}

/** The wall clock of the shop's next opening after `time` on `day`, or null when every day is closed. */
function nextOpening(week: CallRules['week'], day: number, time: number): number | null {
  const today = week[weekday(day)];
  if (today && time < today.from * MINUTE_MS) return day * DAY_MS + today.from * MINUTE_MS;
  for (let later = day + 1; later <= day + 7; later++) {
    const open = week[weekday(later)];
    if (open) return later * DAY_MS + open.from * MINUTE_MS;
  }
  return null;
}

/** The wall clock at which quiet hours that hold at `time` on `day` end, or null when they do not hold. */
function endOfQuiet(span: MinuteSpan, day: number, time: number): number | null {
  if (!inSpan(time, span)) return null;
  // Quiet hours ending at 24:00 end at the next midnight; wrapping ones seen before midnight, tomorrow.
  const endsTomorrow = span.from >= span.to && time >= span.from * MINUTE_MS;
  return (endsTomorrow ? day + 1 : day) * DAY_MS + span.to * MINUTE_MS;
}
