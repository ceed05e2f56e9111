import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextCallWindow, workingHoursSchema } from '../../src/hours/index.js';
import { DAY_MS, hoursArb, instantArb, nearSwitchArb, offsetSwitches, zoneArb } from './arbitraries.js';
import { referenceNextCallWindow } from './reference-next-call-window.js';
import { checkAgainstScan, QUARTER_MS } from './scan.js';

// The fast nextCallWindow walks the 14 days with offsets cached per zone and UTC day; the first one,
// kept in reference-next-call-window.ts, sampled every offset hourly and sorted every candidate.
// They must agree to the millisecond, null included.

const customerArb = fc.option(zoneArb, { freq: 4 }).map((zone) => zone ?? undefined);
const HOUR_MS = 3_600_000;
const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

describe('nextCallWindow agrees with the first, slow algorithm', () => {
  it('for any instant, hours and zones', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(instantArb, hoursArb(1), customerArb, (instant, hours, customerTz) => {
        expect(iso(nextCallWindow(instant, hours, customerTz))).toBe(
          iso(referenceNextCallWindow(instant, hours, customerTz)),
        );
      }),
      { numRuns: 400 },
    );
  });

  it('for instants and hours on whole hours, where boundaries meet', { timeout: 120_000 }, () => {
    // Random milliseconds rarely land exactly on an opening or the start of quiet hours; on a grid
    // of hours they often do, and the shop often opens just as the customer's quiet hours begin.
    const onTheHour = instantArb.map(
      (instant) => new Date(Math.floor(instant.getTime() / HOUR_MS) * HOUR_MS),
    );
    fc.assert(
      fc.property(onTheHour, hoursArb(60), customerArb, (instant, hours, customerTz) => {
        expect(iso(nextCallWindow(instant, hours, customerTz))).toBe(
          iso(referenceNextCallWindow(instant, hours, customerTz)),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('around real offset switches', { timeout: 120_000 }, () => {
    const switches = offsetSwitches(2018, 2027);
    fc.assert(
      fc.property(nearSwitchArb(switches), ({ instant, hours, customerTz }) => {
        expect(iso(nextCallWindow(instant, hours, customerTz))).toBe(
          iso(referenceNextCallWindow(instant, hours, customerTz)),
        );
      }),
      { numRuns: 400 },
    );
  });

  it('for a herd of leads waiting through the same nights, as the lead machine asks', {
    timeout: 120_000,
  }, () => {
    // Many calls over the same days in random order: answers come from the cached days, which must
    // not depend on which call filled them.
    const herdArb = fc.record({
      hours: hoursArb(1),
      night: instantArb,
      leads: fc.array(fc.tuple(fc.integer({ min: 0, max: 3 * DAY_MS }), customerArb), {
        minLength: 1,
        maxLength: 20,
      }),
    });
    fc.assert(
      fc.property(herdArb, ({ hours, night, leads }) => {
        for (const [later, customerTz] of leads) {
          const instant = new Date(night.getTime() + later);
          expect(iso(nextCallWindow(instant, hours, customerTz))).toBe(
            iso(referenceNextCallWindow(instant, hours, customerTz)),
          );
        }
      }),
      { numRuns: 30 },
    );
  });

  it('except in the last fortnight a Date can hold, where it was wrong and the fast one is exact', () => {
    // In September 275760 Luxon has no offsets (NaN) for the last hours, and the first algorithm
    // skipped the openings before them; the fast one finds them, as a scan with canCallAt shows.
    const moscow = workingHoursSchema.parse({});
    const at = new Date(8.64e15 - 14 * DAY_MS);
    expect(referenceNextCallWindow(at, moscow, 'Asia/Vladivostok')?.toISOString()).toBe(
      '+275760-09-12T14:00:01.000Z',
    );
    expect(checkAgainstScan(at, moscow, 'Asia/Vladivostok', QUARTER_MS)?.toISOString()).toBe(
      '+275760-08-30T06:00:00.000Z',
    );
    expect(nextCallWindow(new Date(8.64e15 - DAY_MS), moscow, 'Asia/Vladivostok')?.toISOString()).toBe(
      '+275760-09-12T06:00:00.000Z',
    );
    expect(nextCallWindow(new Date(8.64e15), moscow, 'Asia/Vladivostok')).toBeNull();
  });
});
