export { failsWholeRequest, SMS_BEHAVIOURS, type SmsBehaviour } from './behaviour.js';
export * from './credentials.js';
export type { SmscConfig, SmsRuConfig, TwilioConfig } from './gateway-context.js';
export { SMS_DEFAULT_FAULT, type SmsSim, type SmsSimOptions, startSmsSim } from './sms-sim.js';
export { type SmsGateway, type SmsRecord, type SmsRejection, SmsState } from './sms-state.js';
export { smsRuErrorBody } from './smsru.js';
export { twilioError } from './twilio.js';
