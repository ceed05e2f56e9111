// The full ("max") metadata, not the default "min" set: with "min", isValid() only checks a
// number's length and getType() cannot tell a mobile from a landline (libphonenumber-js's README says so; +7 916…
// and an unallocated +7 300… look alike). The engine needs both — a precise `invalid` stops a call
// that would cost money, and the type tells the engine whether an SMS can reach the number. It is
// 157 KB of JSON (metadata.max.json, 83 KB for "min") loaded once per process: fine on a server.
import { type CountryCode, type PhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import { cleanInput } from './clean-input.js';
import { knownCountrySchema as countryCode } from './country-code.js';
import { toPhoneType } from './phone-type.js';
import { applySeedRules, type Dialable } from './seed-rules.js';
import type { NormalizePhoneOptions, PhoneRejectionReason, PhoneResult } from './types.js';

/** ITU E.164: a full international number has at most 15 digits, country code included. */
const e164MaxDigits = 15;
/** The seed's rule for the +7 zone: 7 and ten digits. Kazakhstan's 14-digit 8 108… toll-free range
 *  is valid in the metadata, but no customer leaves one, and the seed refused it too. */
const plus7MaxDigits = 11;

// Options are configuration, not customer data: a wrong one is a programmer's mistake and throws,
// where a wrong phone is an ordinary result.
const optionsSchema = z.object({
  defaultCountry: countryCode.default('RU'),
  // Calls abroad are where toll fraud lives: a bot fills the shop's form with premium numbers in
  // far-away countries and we pay for every call. So only the shop's own market is callable.
  allowedCountries: z.array(countryCode).readonly().default(['RU', 'KZ']),
});

/**
 * Turns what a customer typed into a callable E.164 number, or says why it is not one.
 * "8 (916) 123-45-67", "+7 916 1234567", "9161234567" and "00 7 916 123 45 67" all give
 * `{ ok: true, e164: '+79161234567', country: 'RU', type: 'mobile' }`. An extension ("доб. 5",
 * "ext 5") is `invalid`: the robot cannot dial it, and calling the switchboard instead reaches the
 * wrong person. Normalising a result's `e164` again gives the same result.
 */
export function normalizePhone(raw: string, options: NormalizePhoneOptions = {}): PhoneResult {
  const { defaultCountry, allowedCountries } = optionsSchema.parse(options);
  // Typed as a string, but it may come from untyped JSON; a number would lose leading zeros.
  if (typeof raw !== 'string') return reject('invalid');

  const input = cleanInput(raw);
  if (input.kind === 'empty') return reject('empty');
  if (input.kind === 'junk') return reject('invalid');

  const dialable = applySeedRules(input, defaultCountry);
  if (isTooLong(dialable)) return reject('too_long');

  const number = parseValid(dialable, defaultCountry);
  if (number === undefined) return reject('invalid');
  // Non-geographic numbers (+800 freephone, +881 satellite) have no country and are never allowed.
  const country = number.country;
  if (country === undefined || !allowedCountries.includes(country)) return reject('country_not_allowed');
  return { ok: true, e164: number.number, country, type: toPhoneType(number.getType()) };
}

function reject(reason: PhoneRejectionReason): PhoneResult {
  return { ok: false, reason };
}

function isTooLong({ digits, international }: Dialable): boolean {
  if (digits.length > e164MaxDigits) return true;
  return international && digits.startsWith('7') && digits.length > plus7MaxDigits;
}

function parseValid(
  { digits, international }: Dialable,
  defaultCountry: CountryCode,
): PhoneNumber | undefined {
  if (!international) return valid(parsePhoneNumberFromString(digits, defaultCountry));
  const asTyped = valid(parsePhoneNumberFromString(`+${digits}`));
  if (asTyped !== undefined) return asTyped;
  // "+8 916 123-45-67" is a Russian habit (8 is the trunk prefix at home) and +89 is not assigned
  // to anyone. We take the +7 reading only when the number as typed is valid nowhere, so a real
  // +81 (Japan) or +84 (Vietnam) number is never rewritten into a Russian one.
  if (digits.length === plus7MaxDigits && digits.startsWith('8')) {
    return valid(parsePhoneNumberFromString(`+7${digits.slice(1)}`));
  }
  return undefined;
}

function valid(number: PhoneNumber | undefined): PhoneNumber | undefined {
  return number?.isValid() ? number : undefined;
}
