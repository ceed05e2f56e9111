import fc from 'fast-check';
import { DateTime } from 'luxon';
import { type WorkingHours, workingHoursSchema } from '../../src/hours/index.js';

// Random inputs for the property tests. Not a test file itself: vitest only runs *.test.ts.

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Day = (typeof WEEK)[number];
type Interval = { from: string; to: string };

/**
 * Zones with daylight saving time or other offset changes in the years tested, including odd ones:
 * half-hour DST (Lord Howe), switches at midnight (Havana, São Paulo, Santiago), Ramadan breaks
 * (Casablanca), +2 hours in one step (Troll), +12:45/+13:45 (Chatham).
 */
const SWITCHING_ZONES = [
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'America/St_Johns',
  'America/Havana',
  'America/Sao_Paulo',
  'America/Santiago',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Africa/Casablanca',
  'Asia/Tehran',
  'Asia/Gaza',
  'Antarctica/Troll',
  'Europe/Moscow',
];

/** Every zone this runtime knows (far from Moscow, +05:45 Kathmandu…), half the time one that switches. */
export const zoneArb = fc.oneof(
  fc.constantFrom(...Intl.supportedValuesOf('timeZone')),
  fc.constantFrom(...SWITCHING_ZONES),
);

const YEARS = { min: 1995, max: 2045 };

/**
 * Any instant in fifty years, or one in the months when most zones switch DST (March, April,
 * September–November), so that a 14-day search crosses a switch in a good share of runs.
 * Milliseconds are random too: instants need not be minute-aligned.
 */
export const instantArb = fc
  .oneof(
    fc.integer({ min: Date.UTC(YEARS.min, 0, 1), max: Date.UTC(YEARS.max, 0, 1) }),
    fc
      .record({
        year: fc.integer(YEARS),
        month: fc.constantFrom(2, 3, 8, 9, 10),
        offset: fc.integer({ min: 0, max: 31 * DAY_MS - 1 }),
      })
      .map(({ year, month, offset }) => Date.UTC(year, month, 1) + offset),
  )
  .map((ms) => new Date(ms));

const clock = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** A time of day in whole `step`s of minutes, between `min` and `max` minutes. */
const timeArb = (step: number, min: number, max: number) =>
  fc.integer({ min: Math.ceil(min / step), max: Math.floor(max / step) }).map((n) => n * step);

/** An interval within a day, at most `maxLength` minutes, often opening in the small hours of DST switches. */
const intervalArb = (step: number, maxLength: number): fc.Arbitrary<Interval> =>
  fc.oneof(timeArb(step, 0, 1440 - step), timeArb(step, 0, 240)).chain((from) =>
    timeArb(step, from + step, Math.min(1440, from + maxLength)).map((to) => ({
      from: clock(from),
      to: clock(to),
    })),
  );

const quietArb = (step: number): fc.Arbitrary<Interval> =>
  fc
    .tuple(timeArb(step, 0, 1440 - step), timeArb(step, 0, 1440))
    .filter(([from, to]) => from !== to)
    .map(([from, to]) => ({ from: clock(from), to: clock(to) }));

/**
 * Random shop hours (about one day in six closed) and random or no quiet hours, every time a
 * multiple of `step` minutes.
 */
export const hoursArb = (step: number): fc.Arbitrary<WorkingHours> =>
  fc
    .record({
      timezone: zoneArb,
      week: fc.record(
        Object.fromEntries(
          WEEK.map((day) => [day, fc.option(intervalArb(step, 1440), { freq: 5 })]),
        ) as Record<Day, fc.Arbitrary<Interval | null>>,
      ),
      customerQuietHours: fc.option(quietArb(step), { freq: 4 }),
    })
    .map((input) => workingHoursSchema.parse(input));

/**
 * A shop open on one weekday for at most three hours, and customers quiet eleven to fifteen hours:
 * often no window at all in 14 days, which is what the null property needs.
 */
export const sparseHoursArb = (step: number): fc.Arbitrary<WorkingHours> =>
  fc
    .record({
      timezone: zoneArb,
      day: fc.constantFrom(...WEEK),
      open: intervalArb(step, 180),
      quietFrom: timeArb(step, 19 * 60, 21 * 60),
      quietTo: timeArb(step, 8 * 60, 10 * 60),
    })
    .map(({ timezone, day, open, quietFrom, quietTo }) =>
      workingHoursSchema.parse({
        timezone,
        week: Object.fromEntries(WEEK.map((d) => [d, d === day ? open : null])),
        customerQuietHours: { from: clock(quietFrom), to: clock(quietTo) },
      }),
    );

/**
 * The offset changes of the switching zones in the given years, found with Luxon by sampling each
 * week (these zones never switch twice within one) and bisecting to the millisecond: what the
 * DST-focused property starts from.
 */
export function offsetSwitches(fromYear: number, toYear: number): { zone: string; at: number }[] {
  const switches: { zone: string; at: number }[] = [];
  for (const zone of SWITCHING_ZONES) {
    const offsetAt = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
    for (let week = Date.UTC(fromYear, 0, 1); week < Date.UTC(toYear + 1, 0, 1); week += 7 * DAY_MS) {
      let low = week;
      let high = week + 7 * DAY_MS;
      const before = offsetAt(low);
      if (offsetAt(high) === before) continue;
      while (high - low > 1) {
        const mid = Math.floor((low + high) / 2);
        if (offsetAt(mid) === before) low = mid;
        else high = mid;
      }
      switches.push({ zone, at: high });
    }
  }
  return switches;
}

/** Minutes since midnight of the wall clock in `zone` just before `at`. */
const wallMinuteBefore = (zone: string, at: number): number => {
  const local = DateTime.fromMillis(at - 1, { zone });
  return local.hour * 60 + local.minute;
};

/** An interval opening within two hours of the wall-clock time `around`. */
const intervalAround = (around: number): fc.Arbitrary<Interval> =>
  fc
    .integer({ min: Math.max(0, around - 120), max: Math.min(1439, around + 120) })
    .chain((from) =>
      fc
        .integer({ min: from + 1, max: Math.min(1440, from + 240) })
        .map((to) => ({ from: clock(from), to: clock(to) })),
    );

export interface Scenario {
  readonly instant: Date;
  readonly hours: WorkingHours;
  readonly customerTz: string | undefined;
}

/**
 * An instant up to a day and a half before an offset change, with either the shop in that zone
 * opening around the switch's wall-clock time, or the customer in it with quiet hours ending then.
 */
export const nearSwitchArb = (switches: readonly { zone: string; at: number }[]): fc.Arbitrary<Scenario> =>
  fc.constantFrom(...switches).chain(({ zone, at }) => {
    const around = wallMinuteBefore(zone, at);
    const instant = fc.integer({ min: at - 1.5 * DAY_MS, max: at + 0.25 * DAY_MS }).map((ms) => new Date(ms));
    const shopInZone = fc.record({
      instant,
      hours: fc
        .record({
          timezone: fc.constant(zone),
          week: weekOf(fc.option(intervalAround(around), { freq: 6 })),
          customerQuietHours: fc.option(quietArb(1), { freq: 2 }),
        })
        .map((input) => workingHoursSchema.parse(input)),
      customerTz: fc.option(zoneArb, { freq: 2 }).map((tz) => tz ?? undefined),
    });
    const customerInZone = fc.record({
      instant,
      hours: fc
        .record({
          timezone: zoneArb,
          week: weekOf(fc.option(intervalArb(1, 1440), { freq: 6 })),
          // Quiet hours that end within two hours of the switch's wall-clock time.
          customerQuietHours: fc
            .tuple(
              fc.integer({ min: 0, max: 1439 }),
              fc.integer({ min: Math.max(0, around - 120), max: around + 120 }),
            )
            .filter(([from, to]) => from !== to)
            .map(([from, to]) => ({ from: clock(from), to: clock(Math.min(to, 1440)) })),
        })
        .map((input) => workingHoursSchema.parse(input)),
      customerTz: fc.constant(zone),
    });
    return fc.oneof(shopInZone, customerInZone);
  });

const weekOf = (day: fc.Arbitrary<Interval | null>) =>
  fc.record(Object.fromEntries(WEEK.map((d) => [d, day])) as Record<Day, fc.Arbitrary<Interval | null>>);
