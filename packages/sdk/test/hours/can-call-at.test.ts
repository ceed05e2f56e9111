import { describe, expect, it } from 'vitest';
import { canCallAt, type WorkingHoursInput, workingHoursSchema } from '../../src/hours/index.js';

// Instants are written in UTC: Moscow is UTC+3 all year; 2026-11-25 is a Wednesday.
const moscow = workingHoursSchema.parse({});
const closedSunday = workingHoursSchema.parse({ week: { sun: null } });
const lateSaturday = workingHoursSchema.parse({
  week: { sat: { from: '18:00', to: '24:00' }, sun: null },
  customerQuietHours: null,
});

describe('canCallAt with the default Moscow hours', () => {
  it.each([
    ['08:59:59 Moscow, before opening', '2026-11-25T05:59:59.999Z', undefined, false],
    ['09:00:00 Moscow, the opening minute', '2026-11-25T06:00:00.000Z', undefined, true],
    ['20:59:59 Moscow, the last open minute', '2026-11-25T17:59:59.999Z', undefined, true],
    ['21:00 Moscow, closed: the interval is half-open', '2026-11-25T18:00:00.000Z', undefined, false],
    ['03:00 Moscow, the middle of the night', '2026-11-25T00:00:00.000Z', undefined, false],
    ['13:59 Moscow = 20:59 in Vladivostok', '2026-11-25T10:59:00.000Z', 'Asia/Vladivostok', true],
    ['14:00 Moscow = 21:00 in Vladivostok, quiet', '2026-11-25T11:00:00.000Z', 'Asia/Vladivostok', false],
    ['09:30 Moscow = 08:30 in Kaliningrad, quiet', '2026-11-25T06:30:00.000Z', 'Europe/Kaliningrad', false],
    ['10:00 Moscow = 09:00 in Kaliningrad', '2026-11-25T07:00:00.000Z', 'Europe/Kaliningrad', true],
    ['18:14 Moscow = 20:59 in Kathmandu (+05:45)', '2026-11-25T15:14:00.000Z', 'Asia/Kathmandu', true],
    ['18:15 Moscow = 21:00 in Kathmandu, quiet', '2026-11-25T15:15:00.000Z', 'Asia/Kathmandu', false],
  ])('%s', (_name, at, customerTz, expected) => {
    expect(canCallAt(new Date(at), moscow, customerTz)).toBe(expected);
  });
});

describe('canCallAt with other hours', () => {
  it.each([
    ['a closed Sunday at noon', closedSunday, '2026-11-29T09:00:00.000Z', false],
    ['the Monday after it', closedSunday, '2026-11-30T09:00:00.000Z', true],
    ['Saturday 23:59 before a 24:00 close', lateSaturday, '2026-11-28T20:59:30.000Z', true],
    ['Sunday 00:00 after it, closed', lateSaturday, '2026-11-28T21:00:00.000Z', false],
  ])('%s', (_name, hours, at, expected) => {
    expect(canCallAt(new Date(at), hours)).toBe(expected);
  });

  it('ignores the customer zone when quiet hours are off', () => {
    expect(canCallAt(new Date('2026-11-28T20:00:00.000Z'), lateSaturday, 'Pacific/Auckland')).toBe(true);
  });
});

// Shops in Berlin and New York open around the switch on the DST days of 2026.
describe('canCallAt across DST switches, on local wall-clock minutes', () => {
  const sunday = (zone: string, sun: WorkingHoursInput['week']) =>
    workingHoursSchema.parse({ timezone: zone, week: { ...closedWeek, ...sun }, customerQuietHours: null });
  const berlinSpring = sunday('Europe/Berlin', { sun: { from: '02:30', to: '03:30' } });
  const berlinFall = sunday('Europe/Berlin', { sun: { from: '02:30', to: '03:00' } });
  const newYorkFall = sunday('America/New_York', { sun: { from: '01:30', to: '01:45' } });

  it.each([
    // Berlin, 29 March: 02:00 CET jumps to 03:00 CEST at 01:00 UTC.
    ['Berlin 01:59:59 CET, before the gap', berlinSpring, '2026-03-29T00:59:59.999Z', false],
    [
      'Berlin 03:00 CEST, past the 02:30 opening that never shows',
      berlinSpring,
      '2026-03-29T01:00:00.000Z',
      true,
    ],
    ['Berlin 03:29 CEST', berlinSpring, '2026-03-29T01:29:00.000Z', true],
    ['Berlin 03:30 CEST, closed', berlinSpring, '2026-03-29T01:30:00.000Z', false],
    // Berlin, 25 October: 03:00 CEST goes back to 02:00 CET at 01:00 UTC, so 02:30 happens twice.
    ['Berlin 02:30 CEST, the first 02:30', berlinFall, '2026-10-25T00:30:00.000Z', true],
    [
      'Berlin 02:00 CET, the clock went back out of the interval',
      berlinFall,
      '2026-10-25T01:00:00.000Z',
      false,
    ],
    ['Berlin 02:30 CET, the second 02:30', berlinFall, '2026-10-25T01:30:00.000Z', true],
    ['Berlin 03:00 CET, closed', berlinFall, '2026-10-25T02:00:00.000Z', false],
    // New York, 1 November: 02:00 EDT goes back to 01:00 EST at 06:00 UTC.
    ['New York 01:30 EDT', newYorkFall, '2026-11-01T05:30:00.000Z', true],
    ['New York 01:45 EDT, closed', newYorkFall, '2026-11-01T05:45:00.000Z', false],
    ['New York 01:30 EST, open again', newYorkFall, '2026-11-01T06:30:00.000Z', true],
  ])('%s', (_name, hours, at, expected) => {
    expect(canCallAt(new Date(at), hours)).toBe(expected);
  });
});

describe('canCallAt refuses what the schemas refuse at the edge', () => {
  it('throws for an unknown customer zone rather than calling at night', () => {
    expect(() => canCallAt(new Date('2026-11-25T09:00:00.000Z'), moscow, 'Asia/Atlantis')).toThrow(
      new RangeError('unknown IANA time zone "Asia/Atlantis"'),
    );
  });

  it('throws for an invalid date', () => {
    expect(() => canCallAt(new Date(Number.NaN), moscow)).toThrow(RangeError);
  });
});

const closedWeek = { mon: null, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null };
