import { z } from 'zod';
import { CLOCK_TIME, clockMinutes, END_CLOCK_TIME } from './clock-time.js';
import { isIanaZone } from './zone.js';

const start = z.string().regex(CLOCK_TIME, { error: 'expected a time as HH:mm, from 00:00 to 23:59' });
const end = z.string().regex(END_CLOCK_TIME, { error: 'expected a time as HH:mm, from 00:00 to 24:00' });

const zone = z.string().refine(isIanaZone, {
  error: (issue) =>
    `unknown time zone ${JSON.stringify(issue.input)}: expected an IANA name such as Europe/Moscow`,
});

// Zod runs an object's refinements even when a field failed its own check; comparing a malformed time
// would add a second, misleading message, so the comparison waits for well-formed times.
const wellFormed = (from: string, to: string): boolean => CLOCK_TIME.test(from) && END_CLOCK_TIME.test(to);

// A shop interval lies within one local day: [from, to), so from < to; '24:00' ends it at midnight.
const shopInterval = z
  .strictObject({ from: start, to: end })
  .refine(({ from, to }) => !wellFormed(from, to) || clockMinutes(from) < clockMinutes(to), {
    error: 'the shop closes before it opens: "to" must be later than "from" on the same day',
    path: ['to'],
  });

// null closes the shop for the whole day; a missing day keeps the default hours.
const day = shopInterval.nullable().prefault({ from: '09:00', to: '21:00' });

// Quiet hours may wrap midnight (21:00–09:00). from = to would be ambiguous (never or always quiet),
// so it is refused: null switches quiet hours off.
const quietHours = z
  .strictObject({ from: start, to: end })
  .refine(({ from, to }) => !wellFormed(from, to) || clockMinutes(from) !== clockMinutes(to), {
    error: 'quiet hours must not start and end at the same time; use null for no quiet hours',
    path: ['to'],
  });

/**
 * When calling a customer is allowed: inside the shop's hours in the shop's zone, and outside the
 * customer's quiet hours in the customer's own zone (only when the lead's time zone is known).
 * Every field has a default, so `workingHoursSchema.parse({})` is a Moscow shop open 09:00–21:00 daily
 * whose customers are not called 21:00–09:00 their time. Unknown keys are errors, so a typo such as
 * `monday` cannot silently fall back to the defaults.
 */
export const workingHoursSchema = z.strictObject({
  timezone: zone.default('Europe/Moscow'),
  week: z.strictObject({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }).prefault({}),
  customerQuietHours: quietHours.nullable().prefault({ from: '21:00', to: '09:00' }),
});

/** Working hours with every default filled in: what the hours functions take. */
export type WorkingHours = z.output<typeof workingHoursSchema>;

/** Working hours as a shop writes them; anything left out takes its default. */
export type WorkingHoursInput = z.input<typeof workingHoursSchema>;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
