import { type CountryCode, getCountries } from 'libphonenumber-js/max';
import { z } from 'zod';

/** Every country libphonenumber has metadata for: ISO 3166-1 alpha-2 codes (and a few more, e.g. XK). */
const COUNTRIES = getCountries() as [CountryCode, ...CountryCode[]];

/** A country libphonenumber knows, exactly as it spells it (upper case): what normalizePhone takes. */
export const knownCountrySchema = z.enum(COUNTRIES, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a country code libphonenumber knows: expected ISO 3166-1 alpha-2 in upper case, such as RU or KZ`,
});

/**
 * A country as configuration names it. Typed as libphonenumber's `CountryCode` union, so a
 * TypeScript caller's `'ZZ'` fails to compile; at run time (settings from JSON) lower case is
 * taken and upper-cased, and anything libphonenumber does not know is refused — an unknown
 * country would otherwise pass the config and fail every lead.
 */
export const countryCodeSchema = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim().toUpperCase() : value),
  knownCountrySchema,
) as unknown as z.ZodType<CountryCode, CountryCode>;
