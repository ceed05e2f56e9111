// Phone rules: what a customer typed → a callable E.164 number, and how to show one in a log.
export { countryCodeSchema } from './country-code.js';
export { maskPhone } from './mask-phone.js';
export { normalizePhone } from './normalize-phone.js';
export {
  type CountryCode,
  type NormalizePhoneOptions,
  type PhoneAccepted,
  type PhoneRejected,
  type PhoneRejectionReason,
  type PhoneResult,
  type PhoneType,
  phoneRejectionReasons,
} from './types.js';
