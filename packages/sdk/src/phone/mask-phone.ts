import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

const e164 = /^\+[1-9]\d{1,14}$/;
const headDigits = 3;
const tailDigits = 4;
// However short the number, at least this many digits are hidden.
const minHidden = 3;

/**
 * A phone as it may appear in a log: the country code, the first three and the last four digits
 * of the national number, a star for each digit between. `+79161234567` → `+7916***4567`.
 * Short numbers give up head digits first, then tail digits, so at least three stay hidden.
 * A string that is not E.164 (a raw form value that failed normalisation) becomes `***`:
 * we cannot tell which of its parts are safe to show.
 */
export function maskPhone(phone: string): string {
  if (!e164.test(phone)) return '***';
  const digits = phone.slice(1);
  // The calling code is 1–3 digits and only the metadata knows which. If the library cannot read
  // the number, all its digits are treated as the national part: still at least three hidden.
  const callingCode = parsePhoneNumberFromString(phone)?.countryCallingCode ?? '';
  const national = digits.slice(callingCode.length);

  const hidden = Math.max(national.length - headDigits - tailDigits, Math.min(minHidden, national.length));
  const tail = Math.min(tailDigits, national.length - hidden);
  const head = national.length - hidden - tail;
  return `+${callingCode}${national.slice(0, head)}${'*'.repeat(hidden)}${national.slice(national.length - tail)}`;
}
