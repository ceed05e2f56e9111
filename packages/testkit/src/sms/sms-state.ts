import type { SmsBehaviour } from './behaviour.js';
import { phoneDigits } from './phone.js';

export type SmsGateway = 'smsru' | 'smsc' | 'twilio';

/** One recipient of one send request, as the simulator answered it. */
export interface SmsRecord {
  gateway: SmsGateway;
  /** The gateway's message id (SMS.ru `sms_id`, SMSC `id`, Twilio `sid`); empty when not sent. */
  id: string;
  /** The number as the client sent it. */
  to: string;
  text: string;
  from?: string;
  /** SMSC's client-chosen `id`, kept for its status lookup. */
  clientId?: string;
  status: 'sent' | 'failed';
  /** The gateway's error code when failed (SMS.ru status_code, SMSC error_code, Twilio code). */
  code?: number;
  /** SMS.ru `test=1` / SMSC `test=1`: answered as sent, not delivered, not charged. */
  test: boolean;
  parts: number;
  at: Date;
}

/** A request refused as a whole (auth, parameters, funds…), kept so a test can see why. */
export interface SmsRejection {
  gateway: SmsGateway;
  code: number;
  reason: string;
  at: Date;
}

/** What the SMS simulator received and how it is set to behave. */
export class SmsState {
  readonly messages: SmsRecord[] = [];
  readonly rejections: SmsRejection[] = [];
  readonly #behaviours = new Map<string, SmsBehaviour>();
  #sequence = 0;

  /** Messages actually sent (not failed, not test), optionally to one number. */
  sent(to?: string): SmsRecord[] {
    return this.messages.filter(
      (m) => m.status === 'sent' && !m.test && (to === undefined || phoneDigits(m.to) === phoneDigits(to)),
    );
  }

  behaviourOf(phone: string): SmsBehaviour {
    return this.#behaviours.get(phoneDigits(phone)) ?? 'sent';
  }

  setBehaviour(phone: string, behaviour: SmsBehaviour): void {
    this.#behaviours.set(phoneDigits(phone), behaviour);
  }

  clearBehaviours(): void {
    this.#behaviours.clear();
  }

  /** A process-wide increasing number for ids, so ids from different gateways never repeat. */
  nextSequence(): number {
    this.#sequence += 1;
    return this.#sequence;
  }

  /** The last message to `to` with the same text sent through `gateway` at or after `since`. */
  recentDuplicate(gateway: SmsGateway, to: string, text: string, since: number): SmsRecord | undefined {
    const digits = phoneDigits(to);
    return this.messages.findLast(
      (m) =>
        m.gateway === gateway &&
        m.status === 'sent' &&
        !m.test &&
        m.text === text &&
        phoneDigits(m.to) === digits &&
        m.at.getTime() >= since,
    );
  }

  reject(gateway: SmsGateway, code: number, reason: string, at: Date): void {
    this.rejections.push({ gateway, code, reason, at });
  }
}
