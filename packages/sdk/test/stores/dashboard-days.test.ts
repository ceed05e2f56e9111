import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { periodDays } from '../../src/stores/dashboard-days.js';

const DAY = 86_400_000;

/** What Luxon says the local days are, for comparison. */
function luxonDays(from: number, to: number, zone: string) {
  const days: { date: string; from: number; to: number }[] = [];
  for (let start = DateTime.fromMillis(from, { zone }).startOf('day'); start.toMillis() < to; ) {
    const next = start.plus({ days: 1 }).startOf('day');
    days.push({
      date: start.toISODate() ?? '',
      from: Math.max(from, start.toMillis()),
      to: Math.min(to, next.toMillis()),
    });
    start = next;
  }
  return days;
}

describe('periodDays', () => {
  // Zones whose clocks change at midnight (Santiago, Havana, Beirut), across the date line
  // (Apia skipped 30 December 2011), half-hour offsets, and the usual 02:00/03:00 changes.
  const zones = [
    'Europe/Moscow',
    'Europe/Berlin',
    'America/Santiago',
    'America/Havana',
    'Asia/Beirut',
    'Pacific/Apia',
    'Asia/Kolkata',
    'Australia/Lord_Howe',
    'America/New_York',
    'UTC',
  ];
  it.each(zones)('gives the calendar days of %s as Luxon does, over years with clock changes', (zone) => {
    for (const year of [2011, 2022, 2026]) {
      const from = Date.UTC(year, 0, 1) + 7 * 3_600_000 + 123;
      const to = from + 364 * DAY;
      expect(periodDays({ from, to, timeZone: zone })).toEqual(luxonDays(from, to, zone));
    }
  });

  it('cuts the first and last day to the period, and refuses what it cannot count', () => {
    const from = Date.parse('2026-03-28T12:00:00Z');
    expect(periodDays({ from, to: from + 1, timeZone: 'UTC' })).toEqual([
      { date: '2026-03-28', from, to: from + 1 },
    ]);
    expect(() => periodDays({ from, to: from, timeZone: 'UTC' })).toThrow(RangeError);
    expect(() => periodDays({ from, to: from + 400 * DAY, timeZone: 'UTC' })).toThrow(/400 days/);
    expect(periodDays({ from, to: from + 399 * DAY, timeZone: 'UTC' })).toHaveLength(400);
    expect(() => periodDays({ from, to: from + DAY, timeZone: '+03:00' })).toThrow(/time zone/);
  });
});
