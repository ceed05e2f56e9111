import type { CallOptions } from './call-options.js';

/** Text messages to the customer (SMS.ru, SMSC, Twilio). Paid: sent at most once per key. */
export interface SmsPort {
  send(message: SmsMessage, options?: CallOptions): Promise<SmsReceipt>;
}

export const SmsPort = Symbol.for('prozvon.SmsPort');

export interface SmsMessage {
  /** `lead:<id>:sms:<kind>`: one text of each kind per lead. */
  readonly key: string;
  readonly phone: string;
  readonly text: string;
}

export interface SmsReceipt {
  readonly provider: string;
  readonly messageId: string;
  /** Parts billed: 70 Cyrillic (UCS-2) or 160 GSM-7 characters each. */
  readonly segments: number;
}
