/** Digits only: SMS.ru keys its per-number results by digits, and behaviours are looked up that way. */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}

/**
 * A number the gateways would route: 10–15 digits of an international number, no leading 0.
 * The real gateways also check the operator's numbering plan; the simulator only checks the
 * shape, and `behave(phone, 'bad_number')` covers well-formed numbers that do not exist.
 */
export function isRoutable(phone: string): boolean {
  return /^[1-9]\d{9,14}$/.test(phoneDigits(phone)) && !/[^\d\s()+-]/.test(phone);
}

/** Twilio wants E.164: a plus and 8–15 digits, nothing else. */
export function isE164(phone: string): boolean {
  return /^\+[1-9]\d{7,14}$/.test(phone);
}
