import fc from 'fast-check';
import { describe, it } from 'vitest';
import { nextCallWindow } from '../../src/hours/index.js';
import { DAY_MS, MINUTE_MS, nearSwitchArb, offsetSwitches } from './arbitraries.js';
import { checkAgainstScan } from './scan.js';

// Random instants rarely fall near a DST switch, so this property starts from real switches
// (2018–2027 in zones that switch, oddly or not) with opening times and quiet-hour ends around the
// switch's wall-clock time: a spring gap swallowing an opening, a fall-back repeating one.
describe('nextCallWindow around real offset switches', () => {
  it('callable, and no earlier minute is', { timeout: 120_000 }, () => {
    const switches = offsetSwitches(2018, 2027);
    fc.assert(
      fc.property(nearSwitchArb(switches), ({ instant, hours, customerTz }) => {
        const result = nextCallWindow(instant, hours, customerTz);
        fc.pre(result !== null && result.getTime() - instant.getTime() <= 2 * DAY_MS);
        checkAgainstScan(instant, hours, customerTz, MINUTE_MS);
      }),
      { numRuns: 100 },
    );
  });
});
