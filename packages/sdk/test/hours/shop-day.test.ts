import { describe, expect, it } from 'vitest';
import { shopDay } from '../../src/hours/shop-day.js';

const at = (iso: string) => Date.parse(iso);

describe('shopDay', () => {
  it('is the calendar day in the shop’s zone, ending at its local midnight', () => {
    // 23:30 in Moscow is 20:30 UTC; in Vladivostok it is already the next day.
    expect(shopDay(at('2026-11-25T20:30:00Z'), 'Europe/Moscow')).toEqual({
      date: '2026-11-25',
      startsAt: at('2026-11-24T21:00:00Z'),
      endsAt: at('2026-11-25T21:00:00Z'),
    });
    expect(shopDay(at('2026-11-25T20:30:00Z'), 'Asia/Vladivostok').date).toBe('2026-11-26');
  });

  it('answers each instant of a day with that day, and the next one from its end on', () => {
    const zone = 'Europe/Moscow';
    const first = shopDay(at('2026-11-25T09:00:00Z'), zone);
    expect(shopDay(at('2026-11-25T20:59:59.999Z'), zone)).toEqual(first);
    expect(shopDay(at('2026-11-24T21:00:00Z'), zone)).toEqual(first);
    expect(shopDay(at('2026-11-25T21:00:00Z'), zone).date).toBe('2026-11-26');
    // Back a day after a later one was asked for: still its own day, not the one remembered.
    expect(shopDay(at('2026-11-24T20:59:59.999Z'), zone).date).toBe('2026-11-24');
  });

  it('keeps each zone’s day apart', () => {
    const instant = at('2026-11-25T22:00:00Z');
    expect(shopDay(instant, 'America/New_York').date).toBe('2026-11-25');
    expect(shopDay(instant, 'Europe/Berlin').date).toBe('2026-11-25');
    expect(shopDay(instant, 'Asia/Tokyo').date).toBe('2026-11-26');
    expect(shopDay(instant, 'America/New_York').date).toBe('2026-11-25');
  });

  it('has 23 and 25 hours on the days the clocks change', () => {
    const spring = shopDay(at('2026-03-29T12:00:00Z'), 'Europe/Berlin');
    expect(spring.endsAt - spring.startsAt).toBe(23 * 3_600_000);
    const autumn = shopDay(at('2026-10-25T12:00:00Z'), 'Europe/Berlin');
    expect(autumn.endsAt - autumn.startsAt).toBe(25 * 3_600_000);
    // The last hour of the long day is still that day.
    expect(shopDay(autumn.endsAt - 1, 'Europe/Berlin').date).toBe('2026-10-25');
  });

  it('ends a day whose midnight was skipped at the next day’s own midnight (Santiago, 8 September 2024)', () => {
    const zone = 'America/Santiago';
    // 8 September 2024 starts at 01:00 -03 (clocks went from 00:00 -04 to 01:00 -03); the 9th at 00:00 -03.
    const skipped = shopDay(at('2024-09-08T12:00:00-03:00'), zone);
    expect(skipped.date).toBe('2024-09-08');
    expect(skipped.endsAt).toBe(at('2024-09-09T00:00:00-03:00'));
    // Half an hour into the 9th is the 9th, right after a lead of the 8th was counted.
    expect(shopDay(at('2024-09-09T00:30:00-03:00'), zone).date).toBe('2024-09-09');
  });
});
