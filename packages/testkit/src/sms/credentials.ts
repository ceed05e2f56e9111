// Test credentials the SMS simulator accepts by default. They look like the real ones (an adapter
// that validates formats accepts them) but are no real account's.

/** SMS.ru `api_id` (the account key). */
export const SMSRU_TEST_API_ID = '00000000-1111-2222-3333-444444444444';
/** SMSC.ru `login` + `psw`, or `apikey`. */
export const SMSC_TEST_LOGIN = 'prozvon-test';
export const SMSC_TEST_PASSWORD = 'smsc-test-password';
export const SMSC_TEST_APIKEY = 'smsc-test-apikey-0123456789';
/** Twilio Account SID (`AC` + 32 hex) and auth token for HTTP Basic auth. */
export const TWILIO_TEST_ACCOUNT_SID = 'AC00000000000000000000000000000001';
export const TWILIO_TEST_AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
/** A `From` number and a Messaging Service SID that the test account owns. */
export const TWILIO_TEST_FROM = '+15005550006';
export const TWILIO_TEST_MESSAGING_SERVICE_SID = 'MG00000000000000000000000000000001';
/** The sender name approved for the SMS.ru test account (any other `from` gets error 204). */
export const SMSRU_TEST_SENDER = 'Prozvon';
