import { describe, expect, it } from 'vitest';
import { isIanaZone, workingHoursSchema } from '../../src/hours/index.js';

const defaultDay = { from: '09:00', to: '21:00' };

/** The issues of a failed parse as 'dotted.path: message', so a test names the field it expects. */
function issues(input: unknown): string[] {
  const result = workingHoursSchema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('workingHoursSchema', () => {
  it('fills every default: a Moscow shop open 09:00–21:00 daily, customers quiet 21:00–09:00', () => {
    expect(workingHoursSchema.parse({})).toEqual({
      timezone: 'Europe/Moscow',
      week: {
        mon: defaultDay,
        tue: defaultDay,
        wed: defaultDay,
        thu: defaultDay,
        fri: defaultDay,
        sat: defaultDay,
        sun: defaultDay,
      },
      customerQuietHours: { from: '21:00', to: '09:00' },
    });
  });

  it('keeps default hours for days left out, closes a day set to null, and allows 24:00', () => {
    const hours = workingHoursSchema.parse({
      timezone: 'Asia/Yekaterinburg',
      week: { sun: null, sat: { from: '10:00', to: '24:00' } },
      customerQuietHours: null,
    });
    expect(hours.timezone).toBe('Asia/Yekaterinburg');
    expect(hours.week.sun).toBeNull();
    expect(hours.week.sat).toEqual({ from: '10:00', to: '24:00' });
    expect(hours.week.mon).toEqual(defaultDay);
    expect(hours.customerQuietHours).toBeNull();
  });

  it('accepts quiet hours that do not wrap midnight', () => {
    const hours = workingHoursSchema.parse({ customerQuietHours: { from: '00:00', to: '08:00' } });
    expect(hours.customerQuietHours).toEqual({ from: '00:00', to: '08:00' });
  });

  it.each([['Mars/Olympus'], ['Moscow'], ['+03:00'], ['UTC+3'], ['']])(
    'refuses the time zone %j with a message naming it',
    (timezone) => {
      expect(issues({ timezone })).toEqual([
        `timezone: unknown time zone ${JSON.stringify(timezone)}: expected an IANA name such as Europe/Moscow`,
      ]);
    },
  );

  it.each([
    ['9:00', '21:00', 'week.mon.from', 'expected a time as HH:mm, from 00:00 to 23:59'],
    ['24:00', '24:00', 'week.mon.from', 'expected a time as HH:mm, from 00:00 to 23:59'],
    ['09:60', '21:00', 'week.mon.from', 'expected a time as HH:mm, from 00:00 to 23:59'],
    ['09:00', '24:30', 'week.mon.to', 'expected a time as HH:mm, from 00:00 to 24:00'],
    ['09:00', '9pm', 'week.mon.to', 'expected a time as HH:mm, from 00:00 to 24:00'],
    [
      '21:00',
      '09:00',
      'week.mon.to',
      'the shop closes before it opens: "to" must be later than "from" on the same day',
    ],
    [
      '09:00',
      '09:00',
      'week.mon.to',
      'the shop closes before it opens: "to" must be later than "from" on the same day',
    ],
  ])('refuses shop hours %s–%s at %s', (from, to, path, message) => {
    expect(issues({ week: { mon: { from, to } } })).toEqual([`${path}: ${message}`]);
  });

  it('refuses quiet hours that start and end at the same time', () => {
    expect(issues({ customerQuietHours: { from: '22:00', to: '22:00' } })).toEqual([
      'customerQuietHours.to: quiet hours must not start and end at the same time; use null for no quiet hours',
    ]);
  });

  it('refuses unknown keys, so a typo cannot silently fall back to the defaults', () => {
    expect(issues({ week: { monday: null } })).toEqual(['week: Unrecognized key: "monday"']);
    expect(issues({ timeZone: 'Europe/Berlin' })).toEqual([': Unrecognized key: "timeZone"']);
  });
});

describe('isIanaZone', () => {
  it.each([
    ['Europe/Moscow', true],
    ['Asia/Vladivostok', true],
    ['America/Argentina/Buenos_Aires', true],
    ['UTC', true],
    ['Etc/GMT-3', true],
    ['Europe/Mordor', false],
    ['+03:00', false],
    ['-0500', false],
    ['MSK', false],
    ['', false],
  ])('%j → %s', (name, expected) => {
    expect(isIanaZone(name)).toBe(expected);
  });
});
