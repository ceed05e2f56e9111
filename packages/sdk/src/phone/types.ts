import type { CountryCode } from 'libphonenumber-js/max';

export type { CountryCode };

/** Why a phone cannot be called. A closed set: the lead machine and the CRM store these names. */
export const phoneRejectionReasons = ['empty', 'too_long', 'invalid', 'country_not_allowed'] as const;
export type PhoneRejectionReason = (typeof phoneRejectionReasons)[number];

/**
 * What kind of line a number is. Our own names rather than libphonenumber's, so the public API
 * does not change if the library does; `unknown` when the metadata cannot tell.
 */
export type PhoneType =
  | 'mobile'
  | 'fixed_line'
  | 'fixed_line_or_mobile'
  | 'toll_free'
  | 'premium_rate'
  | 'shared_cost'
  | 'voip'
  | 'personal_number'
  | 'pager'
  | 'uan'
  | 'voicemail'
  | 'unknown';

export interface PhoneAccepted {
  readonly ok: true;
  /** `+` and at most 15 digits, e.g. `+79161234567`. */
  readonly e164: string;
  readonly country: CountryCode;
  readonly type: PhoneType;
}

export interface PhoneRejected {
  readonly ok: false;
  readonly reason: PhoneRejectionReason;
}

export type PhoneResult = PhoneAccepted | PhoneRejected;

export interface NormalizePhoneOptions {
  /** The country of a number typed without a country code. Default `RU`. */
  readonly defaultCountry?: CountryCode;
  /** Countries we agree to call; anything else is `country_not_allowed`. Default `['RU', 'KZ']`. */
  readonly allowedCountries?: readonly CountryCode[];
}
