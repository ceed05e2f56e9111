import type { IANAZone } from 'luxon';
import { clockMinutes } from './clock-time.js';
import { WEEKDAYS, type WorkingHours } from './schema.js';
import { ianaZone } from './zone.js';

/** A span of local minutes since midnight, [from, to). For quiet hours `from > to` wraps midnight. */
export interface MinuteSpan {
  readonly from: number;
  readonly to: number;
}

/** Working hours turned into numbers once, so that checking many instants parses nothing. */
export interface CallRules {
  readonly shopZone: IANAZone;
  /** Index 0 is Monday, as Luxon's weekday 1; null is a closed day. */
  readonly week: readonly (MinuteSpan | null)[];
  /** Null when the customer's zone is unknown or quiet hours are off: the customer never objects. */
  readonly quiet: { readonly zone: IANAZone; readonly span: MinuteSpan } | null;
}

const toSpan = (interval: { from: string; to: string }): MinuteSpan => ({
  from: clockMinutes(interval.from),
  to: clockMinutes(interval.to),
});

export function compileRules(hours: WorkingHours, customerTz: string | undefined): CallRules {
  const quietHours = hours.customerQuietHours;
  return {
    shopZone: ianaZone(hours.timezone),
    week: WEEKDAYS.map((day) => {
      const interval = hours.week[day];
      return interval ? toSpan(interval) : null;
    }),
    // The zone is checked even when quiet hours are off, so a bad zone never passes unnoticed.
    quiet: customerTz === undefined ? null : withQuietZone(ianaZone(customerTz), quietHours),
  };
}

function withQuietZone(zone: IANAZone, quietHours: WorkingHours['customerQuietHours']): CallRules['quiet'] {
  return quietHours ? { zone, span: toSpan(quietHours) } : null;
}

/** Milliseconds since the epoch of a valid Date; a RangeError for an invalid one. */
export function epochMs(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid date: expected a valid instant');
  return ms;
}
