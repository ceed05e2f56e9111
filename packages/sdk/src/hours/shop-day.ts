import { DateTime } from 'luxon';

/**
 * The shop's calendar day holding `at`, in its zone: its date (`2026-11-25`) and the instant it
 * ends. Daily limits count in these days, so a Vladivostok shop's day does not turn at 10:00.
 */
export function shopDay(at: number, zone: string): { readonly date: string; readonly endsAt: number } {
  const local = DateTime.fromMillis(at, { zone });
  return {
    date: local.toISODate() ?? new Date(at).toISOString().slice(0, 10),
    endsAt: local.startOf('day').plus({ days: 1 }).toMillis(),
  };
}
