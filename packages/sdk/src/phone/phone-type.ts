import type { PhoneNumberType } from 'libphonenumber-js/max';
import type { PhoneType } from './types.js';

// A total map: if libphonenumber adds a type, the compiler points here.
const byLibraryType: Record<PhoneNumberType, PhoneType> = {
  MOBILE: 'mobile',
  FIXED_LINE: 'fixed_line',
  FIXED_LINE_OR_MOBILE: 'fixed_line_or_mobile',
  TOLL_FREE: 'toll_free',
  PREMIUM_RATE: 'premium_rate',
  SHARED_COST: 'shared_cost',
  VOIP: 'voip',
  PERSONAL_NUMBER: 'personal_number',
  PAGER: 'pager',
  UAN: 'uan',
  VOICEMAIL: 'voicemail',
};

export function toPhoneType(type: PhoneNumberType | undefined): PhoneType {
  return type === undefined ? 'unknown' : byLibraryType[type];
}
