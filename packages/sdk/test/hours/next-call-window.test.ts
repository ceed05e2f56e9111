import { describe, expect, it } from 'vitest';
import { nextCallWindow, type WorkingHoursInput, workingHoursSchema } from '../../src/hours/index.js';

const closedWeek = { mon: null, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null };

/** A shop open only on the given days, with no customer quiet hours unless asked for. */
const onlyOn = (
  timezone: string,
  days: WorkingHoursInput['week'],
  quiet: WorkingHoursInput['customerQuietHours'] = null,
) => workingHoursSchema.parse({ timezone, week: { ...closedWeek, ...days }, customerQuietHours: quiet });

const moscow = workingHoursSchema.parse({});

interface Row {
  readonly name: string;
  readonly hours: WorkingHoursInput;
  readonly customerTz?: string;
  readonly at: string;
  readonly expected: string | null;
}

// Instants in UTC. Moscow is UTC+3; 2026-11-25 is a Wednesday; the DST days of 2026 are Sundays.
const rows: Row[] = [
  {
    name: 'callable now: the instant itself',
    hours: moscow,
    at: '2026-11-25T09:12:34.567Z',
    expected: '2026-11-25T09:12:34.567Z',
  },
  {
    name: 'early morning: opening time today',
    hours: moscow,
    at: '2026-11-25T04:15:00.000Z',
    expected: '2026-11-25T06:00:00.000Z',
  },
  {
    name: 'half a second before opening',
    hours: moscow,
    at: '2026-11-25T05:59:59.500Z',
    expected: '2026-11-25T06:00:00.000Z',
  },
  {
    name: 'at closing: opening tomorrow, across midnight',
    hours: moscow,
    at: '2026-11-25T18:00:00.000Z',
    expected: '2026-11-26T06:00:00.000Z',
  },
  {
    name: 'Saturday night with Sunday closed: Monday morning',
    hours: { week: { sun: null } },
    at: '2026-11-28T18:30:00.000Z',
    expected: '2026-11-30T06:00:00.000Z',
  },
  {
    name: 'Friday night with a closed weekend: Monday morning',
    hours: { week: { sat: null, sun: null } },
    at: '2026-11-27T19:00:00.000Z',
    expected: '2026-11-30T06:00:00.000Z',
  },
  {
    name: 'open until 24:00 and again from 00:00: callable straight through midnight',
    hours: onlyOn('Europe/Moscow', {
      sat: { from: '18:00', to: '24:00' },
      sun: { from: '00:00', to: '02:00' },
    }),
    at: '2026-11-28T20:59:59.999Z',
    expected: '2026-11-28T20:59:59.999Z',
  },
  {
    name: 'after a 00:00–02:00 Sunday: the following Saturday at 18:00',
    hours: onlyOn('Europe/Moscow', {
      sat: { from: '18:00', to: '24:00' },
      sun: { from: '00:00', to: '02:00' },
    }),
    at: '2026-11-28T23:00:00.000Z',
    expected: '2026-12-05T15:00:00.000Z',
  },
  {
    name: 'Vladivostok customer at 21:00 their time: 09:00 Moscow next day (16:00 theirs)',
    hours: moscow,
    customerTz: 'Asia/Vladivostok',
    at: '2026-11-25T11:00:00.000Z',
    expected: '2026-11-26T06:00:00.000Z',
  },
  {
    name: 'Vladivostok customer before the shop opens: 09:00 Moscow',
    hours: moscow,
    customerTz: 'Asia/Vladivostok',
    at: '2026-11-25T02:00:00.000Z',
    expected: '2026-11-25T06:00:00.000Z',
  },
  {
    name: 'Kaliningrad customer asleep when Moscow opens: 09:00 theirs, 10:00 Moscow',
    hours: moscow,
    customerTz: 'Europe/Kaliningrad',
    at: '2026-11-25T05:00:00.000Z',
    expected: '2026-11-25T07:00:00.000Z',
  },
  {
    name: 'Honolulu customer of a 12:00–18:00 Moscow shop: always their night',
    hours: {
      week: Object.fromEntries(Object.keys(closedWeek).map((day) => [day, { from: '12:00', to: '18:00' }])),
    },
    customerTz: 'Pacific/Honolulu',
    at: '2026-11-25T09:00:00.000Z',
    expected: null,
  },
  { name: 'every day closed', hours: { week: closedWeek }, at: '2026-11-25T09:00:00.000Z', expected: null },
  {
    name: 'Berlin spring forward: a 02:30 opening inside the gap opens at the switch (03:00 CEST)',
    hours: onlyOn('Europe/Berlin', { sun: { from: '02:30', to: '04:00' } }),
    at: '2026-03-29T00:00:00.000Z',
    expected: '2026-03-29T01:00:00.000Z',
  },
  {
    name: 'Berlin spring forward: hours wholly inside the gap never happen that day',
    hours: onlyOn('Europe/Berlin', { sun: { from: '02:00', to: '02:59' } }),
    at: '2026-03-29T00:00:00.000Z',
    expected: '2026-04-05T00:00:00.000Z',
  },
  {
    name: 'Berlin fall back: 02:30–03:00 opens first at 02:30 CEST',
    hours: onlyOn('Europe/Berlin', { sun: { from: '02:30', to: '03:00' } }),
    at: '2026-10-25T00:00:00.000Z',
    expected: '2026-10-25T00:30:00.000Z',
  },
  {
    name: 'Berlin fall back: after the first 02:30–03:00, the repeated 02:30 CET',
    hours: onlyOn('Europe/Berlin', { sun: { from: '02:30', to: '03:00' } }),
    at: '2026-10-25T01:00:00.000Z',
    expected: '2026-10-25T01:30:00.000Z',
  },
  {
    name: 'Berlin fall back: the clock going back from 03:00 to 02:00 re-enters 01:00–02:30',
    hours: onlyOn('Europe/Berlin', { sun: { from: '01:00', to: '02:30' } }),
    at: '2026-10-25T00:30:00.000Z',
    expected: '2026-10-25T01:00:00.000Z',
  },
  {
    name: 'New York spring forward: a 02:15 opening opens at 03:00 EDT',
    hours: onlyOn('America/New_York', { sun: { from: '02:15', to: '05:00' } }),
    at: '2026-03-08T06:00:00.000Z',
    expected: '2026-03-08T07:00:00.000Z',
  },
  {
    name: 'New York fall back: after 01:30–01:45 EDT, the repeated 01:30 EST',
    hours: onlyOn('America/New_York', { sun: { from: '01:30', to: '01:45' } }),
    at: '2026-11-01T05:45:00.000Z',
    expected: '2026-11-01T06:30:00.000Z',
  },
  {
    name: 'customer in Berlin whose quiet hours end at 02:30, inside the spring gap: the switch',
    hours: {
      timezone: 'UTC',
      week: everyDay('00:00', '24:00'),
      customerQuietHours: { from: '22:00', to: '02:30' },
    },
    customerTz: 'Europe/Berlin',
    at: '2026-03-29T00:30:00.000Z',
    expected: '2026-03-29T01:00:00.000Z',
  },
  {
    name: 'quiet hours ending at 24:00: the customer is called from their midnight',
    hours: {
      timezone: 'UTC',
      week: everyDay('00:00', '24:00'),
      customerQuietHours: { from: '20:00', to: '24:00' },
    },
    customerTz: 'Asia/Tokyo',
    at: '2026-11-25T12:00:00.000Z',
    expected: '2026-11-25T15:00:00.000Z',
  },
];

describe('nextCallWindow', () => {
  it.each(rows)('$name', ({ hours, customerTz, at, expected }) => {
    const result = nextCallWindow(new Date(at), workingHoursSchema.parse(hours), customerTz);
    expect(result?.toISOString() ?? null).toBe(expected);
  });

  // A Moscow shop open 10:30–11:00 meets a Berlin customer's 09:00 only in summer time (09:30 CEST);
  // in winter it is 08:30 CET, still quiet. So after the October switch the next window is in spring.
  const summerOnly = workingHoursSchema.parse({ week: everyDay('10:30', '11:00') });

  it.each([
    ['in summer: the next morning', '2026-10-20T08:00:00.000Z', '2026-10-21T07:30:00.000Z'],
    ['the day before the autumn switch: none for months', '2026-10-24T08:00:00.000Z', null],
    [
      'exactly 14 days before the first summer window: found',
      '2027-03-14T07:30:00.000Z',
      '2027-03-28T07:30:00.000Z',
    ],
    ['a millisecond more than 14 days before it: null', '2027-03-14T07:29:59.999Z', null],
  ])('looks 14 days ahead and no further: %s', (_name, at, expected) => {
    const result = nextCallWindow(new Date(at), summerOnly, 'Europe/Berlin');
    expect(result?.toISOString() ?? null).toBe(expected);
  });

  it('returns a new Date, so the caller cannot change the one it passed by accident', () => {
    const at = new Date('2026-11-25T09:00:00.000Z');
    expect(nextCallWindow(at, moscow)).not.toBe(at);
  });

  it('throws for an unknown customer zone', () => {
    expect(() => nextCallWindow(new Date('2026-11-25T09:00:00.000Z'), moscow, 'Europe/Mordor')).toThrow(
      RangeError,
    );
  });
});

function everyDay(from: string, to: string): WorkingHoursInput['week'] {
  return Object.fromEntries(Object.keys(closedWeek).map((day) => [day, { from, to }]));
}
