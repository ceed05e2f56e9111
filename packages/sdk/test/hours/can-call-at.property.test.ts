import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canCallAt, type WorkingHours } from '../../src/hours/index.js';
import { hoursArb, instantArb, zoneArb } from './arbitraries.js';

// canCallAt reads wall clocks through Luxon; this oracle reads them straight from Intl and spells the
// rules out once more, so a slip in either (a weekday off by one, a wrapped interval) shows up.

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const formats = new Map<string, Intl.DateTimeFormat>();

function wallClock(at: Date, timeZone: string): { day: number; minute: number } {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
  return {
    day: DAYS.indexOf(parts.weekday as (typeof DAYS)[number]),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const minutes = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));

function oracle(at: Date, hours: WorkingHours, customerTz: string | undefined): boolean {
  const shop = wallClock(at, hours.timezone);
  const key = KEYS[shop.day];
  const open = key === undefined ? null : hours.week[key];
  if (!open || shop.minute < minutes(open.from) || shop.minute >= minutes(open.to)) return false;
  const quiet = hours.customerQuietHours;
  if (customerTz === undefined || !quiet) return true;
  const { minute } = wallClock(at, customerTz);
  const [from, to] = [minutes(quiet.from), minutes(quiet.to)];
  const asleep = from < to ? from <= minute && minute < to : minute >= from || minute < to;
  return !asleep;
}

describe('canCallAt, properties', () => {
  it('agrees with the wall clocks Intl reports', () => {
    const customerArb = fc.option(zoneArb, { freq: 4 }).map((zone) => zone ?? undefined);
    fc.assert(
      fc.property(instantArb, hoursArb(1), customerArb, (instant, hours, customerTz) => {
        expect(canCallAt(instant, hours, customerTz)).toBe(oracle(instant, hours, customerTz));
      }),
      { numRuns: 500 },
    );
  });
});
