// @prozvon/adapters-sms: SmsPort on SMS.ru, SMSC.ru and Twilio, with failover between them.
export {
  isProviderFailure,
  type ProviderFailureReason,
  SmsProviderAuthError,
  type SmsProviderFailure,
  SmsProviderRefusedError,
  SmsProviderUnavailableError,
} from './errors.js';
export { createSmsPort, type SmsPortOptions } from './failover.js';
export { smsFromEnv } from './from-env.js';
export type { SmsProvider } from './provider.js';
export { analyseSms, countSmsSegments, type SmsEncoding, type SmsSegmentInfo } from './segments.js';
export { createSmsProvider, SmsProviderSettings } from './settings.js';
export { createSmscProvider, SmscConfig, smscMessageId } from './smsc/client.js';
export { createSmsRuProvider, SmsRuConfig } from './smsru/client.js';
export { createTwilioProvider, TwilioConfig } from './twilio/client.js';
