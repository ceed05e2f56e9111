import { type CountryCode, getCountryCallingCode } from 'libphonenumber-js/max';

/** Digits on their way to a dial string: `international` means they start with a calling code. */
export interface Dialable {
  readonly digits: string;
  readonly international: boolean;
}

/**
 * The seed's rules for the +7 zone (Russia and Kazakhstan share it), applied to a number typed
 * without `+` before the library sees it:
 * - a leading 8 is the trunk prefix: "8 916 123-45-67" is +7 916 123-45-67. The seed replaced the
 *   first 8 whatever the length; we do it from 11 digits up, so "8 916 123 45 67 1" becomes a +7
 *   number with 12 digits and is then refused as too long, as the seed refused it;
 * - ten digits starting with 9 are a mobile without its code: "916 123 45 67" is +7 916…
 *   (libphonenumber reads them so too with RU or KZ as default; the rule is written out so the
 *   seed's contract does not rest on the library's inference);
 * - eleven or more digits starting with 7 are a +7 number with the `+` left out.
 * Shorter numbers stay national and the library reads them in the default country (a landline
 * typed as "495 123 45 67"). Other default countries keep their own trunk rules: Belarus also
 * dials a leading 8, but means something else by it, and libphonenumber knows that.
 */
export function applySeedRules(input: Dialable, defaultCountry: CountryCode): Dialable {
  if (input.international || getCountryCallingCode(defaultCountry) !== '7') return input;
  const { digits } = input;
  if (digits.length >= 11 && digits.startsWith('8'))
    return { digits: `7${digits.slice(1)}`, international: true };
  if (digits.length === 10 && digits.startsWith('9')) return { digits: `7${digits}`, international: true };
  if (digits.length >= 11 && digits.startsWith('7')) return { digits, international: true };
  return input;
}
