import type { Lead } from '../lead/index.js';
import type { CallOptions } from './call-options.js';

/** The CRM (Bitrix24): partners, leads and the calls on their cards. Throws PortError subclasses.
 * Every method takes the call's deadline as `options.signal` (see CallOptions). */
export interface CrmPort {
  /** The partner whose referral code this is, or null when no partner has it. */
  findPartner(code: string, options?: CallOptions): Promise<CrmPartner | null>;
  /**
   * Creates the lead, or returns the one already created under this key (the key is stored on the
   * CRM lead, e.g. Bitrix24's ORIGIN_ID, so a repeat after a crash never adds a second lead).
   */
  createLead(request: CrmLeadRequest, options?: CallOptions): Promise<CrmLeadRef>;
  /** The lead created under this key, if any. */
  findLeadByKey(key: string, options?: CallOptions): Promise<CrmLeadRef | null>;
  /** Marks the lead "no answer" (a status and a comment the sellers see). */
  markNoAnswer(crmLeadId: string, details: CallRecord, options?: CallOptions): Promise<void>;
  /** Records one call attempt and its outcome on the lead's card. Idempotent by `record.key`. */
  recordCall(crmLeadId: string, record: CallRecord, options?: CallOptions): Promise<void>;
}

export const CrmPort = Symbol.for('prozvon.CrmPort');

export interface CrmPartner {
  readonly id: string;
  readonly name: string;
  /** Which CRM entity holds the partner (company, contact, smart-process item). */
  readonly entity: string;
}

export interface CrmLeadRequest {
  /** Idempotency key: the same key always means the same lead. */
  readonly key: string;
  readonly lead: Lead;
  /** The normalised phone when it is callable, else the phone as typed. */
  readonly phone: string;
  readonly partner: CrmPartner | null;
  readonly submittedAt: number;
}

export interface CrmLeadRef {
  readonly id: string;
  /** A link a seller can open, when the CRM has one. */
  readonly url?: string;
}

/**
 * `refused`: the provider would not place the call at all (no balance, a blocked number, a routing
 * rule missing): the customer heard nothing, and no retry will help until the shop acts.
 * `unheard`: the customer picked up but the message failed to play (a dead recording URL, a TTS
 * failure): not reached, and the shop's message needs fixing before a retry would help.
 */
export type CallOutcome = 'answered' | 'machine' | 'nodial' | 'invalid' | 'refused' | 'unheard';

export interface CallRecord {
  /** Unique per call attempt of a lead: `lead:<id>:call:<attempt>`. */
  readonly key: string;
  readonly attempt: number;
  readonly phone: string;
  readonly outcome: CallOutcome | 'unknown';
  readonly startedAt: number;
  readonly durationSec: number;
  /** The provider's own failure code (e.g. 486 busy), for the sellers' and our records. */
  readonly failureCode?: number;
  readonly recordingUrl?: string;
}
