import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextCallWindow } from '../../src/hours/index.js';
import { DAY_MS, hoursArb, instantArb, MINUTE_MS, sparseHoursArb, zoneArb } from './arbitraries.js';
import { checkAgainstScan, QUARTER_MS } from './scan.js';

// Random instants over fifty years, random zones for shop and customer, random hours. Each property
// scans up to thousands of instants through Luxon, so the runs are bounded and the timeout generous.
const PROPERTY_TIMEOUT_MS = 120_000;

const customerArb = fc.option(zoneArb, { freq: 4 }).map((zone) => zone ?? undefined);

describe('nextCallWindow, properties', () => {
  it('with any minute in the config: callable, and no earlier minute is (windows within a day)', {
    timeout: PROPERTY_TIMEOUT_MS,
  }, () => {
    fc.assert(
      fc.property(instantArb, hoursArb(1), customerArb, (instant, hours, customerTz) => {
        const result = nextCallWindow(instant, hours, customerTz);
        // Minute-by-minute scans of long waits are slow; the quarter-hour properties cover those.
        fc.pre(result !== null && result.getTime() - instant.getTime() <= DAY_MS);
        checkAgainstScan(instant, hours, customerTz, MINUTE_MS);
      }),
      { numRuns: 100 },
    );
  });

  it('with quarter-hour configs: exact over the whole 14 days, null included', {
    timeout: PROPERTY_TIMEOUT_MS,
  }, () => {
    fc.assert(
      fc.property(instantArb, hoursArb(15), customerArb, (instant, hours, customerTz) => {
        checkAgainstScan(instant, hours, customerTz, QUARTER_MS);
      }),
      { numRuns: 150 },
    );
  });

  it('returns null only when nothing in the next 14 days is callable', {
    timeout: PROPERTY_TIMEOUT_MS,
  }, () => {
    let nulls = 0;
    fc.assert(
      fc.property(instantArb, sparseHoursArb(15), zoneArb, (instant, hours, customerTz) => {
        if (checkAgainstScan(instant, hours, customerTz, QUARTER_MS) === null) nulls += 1;
      }),
      { numRuns: 40 },
    );
    // Roughly half the sparse configurations have no window at all; without one, null went untested.
    expect(nulls).toBeGreaterThan(0);
  });
});
