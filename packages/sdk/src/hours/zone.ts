import { IANAZone } from 'luxon';

// Intl (and so Luxon) also accepts UTC offsets such as '+03:00'; a zone name must start with a letter.
const ZONE_NAME = /^[A-Za-z]/;

/**
 * True when `name` is a time zone from the IANA database that this runtime knows, such as
 * `Europe/Moscow` or `Asia/Vladivostok`. Fixed offsets such as `+03:00` are refused: they silently
 * ignore daylight saving time, which is what a zone name is for.
 *
 * Meant for untrusted input, so nothing is cached: Luxon's zone cache would keep every name it saw.
 */
export function isIanaZone(name: string): boolean {
  return ZONE_NAME.test(name) && IANAZone.isValidZone(name);
}

/**
 * The Luxon zone for a name that was validated at the edge, or a RangeError naming it. Luxon caches
 * zones by name, so this is cheap on the hot path (minute-by-minute checks), unlike isIanaZone, which
 * builds an Intl formatter on every call.
 */
export function ianaZone(name: string): IANAZone {
  const zone = IANAZone.create(name);
  if (!ZONE_NAME.test(name) || !zone.isValid) throw new RangeError(`unknown IANA time zone "${name}"`);
  return zone;
}
