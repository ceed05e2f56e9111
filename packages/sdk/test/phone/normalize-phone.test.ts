import { describe, expect, it } from 'vitest';
import { type NormalizePhoneOptions, normalizePhone, type PhoneResult } from '../../src/phone/index.js';

interface Row {
  readonly input: string;
  readonly options?: NormalizePhoneOptions;
  readonly expected: PhoneResult;
  /** For inputs too long or too invisible to read in a test name. */
  readonly name?: string;
}

const moscowMobile: PhoneResult = { ok: true, e164: '+79161234567', country: 'RU', type: 'mobile' };
const moscowLandline: PhoneResult = { ok: true, e164: '+74951234567', country: 'RU', type: 'fixed_line' };
const almatyMobile: PhoneResult = { ok: true, e164: '+77011234567', country: 'KZ', type: 'mobile' };
const empty: PhoneResult = { ok: false, reason: 'empty' };
const invalid: PhoneResult = { ok: false, reason: 'invalid' };
const tooLong: PhoneResult = { ok: false, reason: 'too_long' };
const notAllowed: PhoneResult = { ok: false, reason: 'country_not_allowed' };

const rows: readonly Row[] = [
  // One Russian mobile, the ways customers type it.
  { input: '+7 916 123-45-67', expected: moscowMobile },
  { input: '8 (916) 123-45-67', expected: moscowMobile },
  { input: '89161234567', expected: moscowMobile },
  { input: '9161234567', expected: moscowMobile },
  { input: '916 123 45 67', expected: moscowMobile },
  { input: '79161234567', expected: moscowMobile },
  { input: '7 (916) 123-45-67', expected: moscowMobile },
  { input: '+7(916)1234567', expected: moscowMobile },
  { input: '8-916-123-45-67', expected: moscowMobile },
  { input: '+7.916.123.45.67', expected: moscowMobile },
  { input: '+7 [916] 123 45 67', expected: moscowMobile },
  { input: '   +7 916 123 45 67   ', expected: moscowMobile },
  { input: '00 7 916 123 45 67', expected: moscowMobile },
  { input: '+7 916 123–45–67', name: 'en dashes from autocorrect', expected: moscowMobile },
  { input: '+7\u00a0916\u00a0123\u00a045\u00a067', name: 'no-break spaces', expected: moscowMobile },
  { input: '\u202a+7 916 123-45-67\u202c', name: 'bidi marks of a copied contact', expected: moscowMobile },
  // "+8…" is the trunk 8 typed after a plus; +89 belongs to nobody, so it is read as +7.
  { input: '+8 916 123-45-67', expected: moscowMobile },
  // Landlines and special numbers in Russia.
  { input: '+7 495 123-45-67', expected: moscowLandline },
  { input: '8 (495) 123-45-67', expected: moscowLandline },
  { input: '495 123 45 67', expected: moscowLandline },
  {
    input: '8 499 123 45 67',
    expected: { ok: true, e164: '+74991234567', country: 'RU', type: 'fixed_line' },
  },
  {
    input: '8 800 555-35-35',
    expected: { ok: true, e164: '+78005553535', country: 'RU', type: 'toll_free' },
  },
  // Accepted, but typed: the engine may refuse to pay for a premium-rate call.
  {
    input: '8 809 123-45-67',
    expected: { ok: true, e164: '+78091234567', country: 'RU', type: 'premium_rate' },
  },
  // Kazakhstan shares +7: 7xx numbers are Kazakh.
  { input: '+7 701 123 45 67', expected: almatyMobile },
  { input: '8 701 123 45 67', expected: almatyMobile },
  { input: '+7 777 123 45 67', expected: { ok: true, e164: '+77771234567', country: 'KZ', type: 'mobile' } },
  {
    input: '8 (727) 234-56-78',
    name: 'Almaty landline',
    expected: { ok: true, e164: '+77272345678', country: 'KZ', type: 'fixed_line' },
  },
  { input: '701 123 45 67', options: { defaultCountry: 'KZ' }, expected: almatyMobile },
  // The seed's "ten digits starting with 9" rule holds for a Kazakh shop too.
  { input: '916 123 45 67', options: { defaultCountry: 'KZ' }, expected: moscowMobile },
  // +7 6xx is set aside for Kazakhstan, but nothing in it is allocated.
  { input: '+7 600 123 45 67', expected: invalid },
  // Abroad: not callable by default (toll fraud), callable when the shop allows the country.
  { input: '+380 44 123 45 67', expected: notAllowed },
  {
    input: '+380 44 123 45 67',
    options: { allowedCountries: ['UA'] },
    expected: { ok: true, e164: '+380441234567', country: 'UA', type: 'fixed_line' },
  },
  {
    input: '+380 (67) 123-45-67',
    options: { allowedCountries: ['RU', 'UA'] },
    expected: { ok: true, e164: '+380671234567', country: 'UA', type: 'mobile' },
  },
  { input: '+375 29 123-45-67', expected: notAllowed },
  {
    input: '+375 17 212-34-56',
    options: { allowedCountries: ['BY'] },
    expected: { ok: true, e164: '+375172123456', country: 'BY', type: 'fixed_line' },
  },
  // Belarus dials a trunk 8 too, followed by 0: its own rule, not the +7 one.
  {
    input: '8 029 123-45-67',
    options: { defaultCountry: 'BY', allowedCountries: ['BY'] },
    expected: { ok: true, e164: '+375291234567', country: 'BY', type: 'mobile' },
  },
  { input: '+1 (202) 555-0123', expected: notAllowed },
  {
    input: '+1 202 555 0123',
    options: { allowedCountries: ['US'] },
    expected: { ok: true, e164: '+12025550123', country: 'US', type: 'fixed_line_or_mobile' },
  },
  { input: '+44 20 7183 8750', expected: notAllowed },
  {
    input: '+44 7400 123456',
    options: { allowedCountries: ['GB'] },
    expected: { ok: true, e164: '+447400123456', country: 'GB', type: 'mobile' },
  },
  { input: '+49 30 123456', expected: notAllowed },
  {
    input: '+49 30 123456',
    options: { allowedCountries: ['DE'] },
    expected: { ok: true, e164: '+4930123456', country: 'DE', type: 'fixed_line' },
  },
  {
    input: '0049 170 1234567',
    options: { allowedCountries: ['DE'] },
    expected: { ok: true, e164: '+491701234567', country: 'DE', type: 'mobile' },
  },
  { input: '+86 138 1234 5678', expected: notAllowed },
  // Real numbers after +8 are never rewritten into Russian ones: Vietnam (+84 95…) and Japan (+81).
  { input: '+8 495 123-45-67', expected: notAllowed },
  {
    input: '+84 95 123 4567',
    options: { allowedCountries: ['VN'] },
    expected: { ok: true, e164: '+84951234567', country: 'VN', type: 'mobile' },
  },
  { input: '+81 3 1234 5678', expected: notAllowed },
  // Non-geographic numbers (international freephone) have no country to allow.
  { input: '+800 1234 5678', options: { allowedCountries: ['RU', 'KZ', 'US'] }, expected: notAllowed },
  // Too long: more than 11 digits in the +7 zone (the seed's rule), more than 15 anywhere (E.164).
  { input: '+7 916 123-45-678', expected: tooLong },
  { input: '8 916 123 45 67 8', expected: tooLong },
  { input: '791612345678', expected: tooLong },
  { input: '+7 916 123 45 67 89 01', expected: tooLong },
  // Russia's old international prefix 8~10 is not read as one: refused, never a wrong call.
  { input: '8 10 49 30 123456', expected: tooLong },
  { input: '1234567890123456', expected: tooLong },
  { input: '+49 170 1234 5678 9012', expected: tooLong },
  { input: '0049 170 1234 5678 9012', expected: tooLong },
  { input: '7'.repeat(10_000), name: '10 KB of digits', expected: tooLong },
  { input: '+7 916 '.repeat(2_000), name: '14 KB of repeated prefixes', expected: invalid },
  // Too short, or not a number.
  { input: '+7 916 123 45 6', expected: invalid },
  { input: '916 123 45', expected: invalid },
  { input: '12345', expected: invalid },
  { input: '+0 916 123 45 67', expected: invalid },
  { input: '++7 916 123 45 67', expected: invalid },
  { input: '8 916 + 123 45 67', expected: invalid },
  // Extensions are refused rather than dropped: the robot cannot dial one.
  { input: '8 (916) 123-45-67 доб. 5', expected: invalid },
  { input: '+7 495 123 45 67 ext. 123', expected: invalid },
  { input: '+7 495 123 45 67 #123', expected: invalid },
  // Letters, emoji, two numbers, full-width digits: junk is never silently dropped.
  { input: 'позвоните мне', expected: invalid },
  { input: '8 (9I6) 123-45-67', name: 'a capital I for a 1', expected: invalid },
  { input: '+7 916 123 45 67 📞', expected: invalid },
  { input: '☎️', expected: invalid },
  { input: '8 916 123 45 67, 8 495 123 45 67', expected: invalid },
  { input: '８９１６１２３４５６７', name: 'full-width digits', expected: invalid },
  { input: 'я'.repeat(10_000), name: '10 KB of letters', expected: invalid },
  // Nothing typed.
  { input: '', expected: empty },
  { input: '   ', expected: empty },
  { input: '\t\n', name: 'tab and newline', expected: empty },
  { input: '\u200b', name: 'a zero-width space', expected: empty },
  { input: '+', expected: empty },
  { input: '( ) -', expected: empty },
  { input: ' '.repeat(10_000), name: '10 KB of spaces', expected: empty },
];

describe('normalizePhone', () => {
  for (const { input, options, expected, name } of rows) {
    const where = options === undefined ? '' : ` with ${JSON.stringify(options)}`;
    it(`${name ?? JSON.stringify(input)}${where} → ${expected.ok ? expected.e164 : expected.reason}`, () => {
      expect(normalizePhone(input, options)).toEqual(expected);
    });
  }

  it('treats a value that is not a string (untyped JSON) as invalid', () => {
    expect(normalizePhone(79161234567 as unknown as string)).toEqual(invalid);
  });

  it('throws on a country code libphonenumber does not know: configuration, not data', () => {
    expect(() => normalizePhone('9161234567', { defaultCountry: 'XX' as 'RU' })).toThrow(/country code/);
    expect(() => normalizePhone('9161234567', { allowedCountries: ['ru' as 'RU'] })).toThrow(/country code/);
  });

  it('allows nothing when allowedCountries is empty', () => {
    expect(normalizePhone('+7 916 123 45 67', { allowedCountries: [] })).toEqual(notAllowed);
  });
});
