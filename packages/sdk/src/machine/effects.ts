import type { Lead } from '../lead/index.js';
import type { CallRecord, CrmPartner, Notice } from '../ports/index.js';

/**
 * The effects the machine names and the engine performs, with their parameters. Each carries the
 * outbox key it is queued under: deterministic, so a decision replayed after a crash queues the
 * same key and the store keeps one row.
 */
export interface EffectParams {
  lookupPartner: { key: string; code: string };
  createCrmLead: {
    key: string;
    crmKey: string;
    lead: Lead;
    phone: string;
    partner: CrmPartner | null;
    submittedAt: number;
  };
  recordCall: { key: string; crmLeadId: string; record: CallRecord };
  markNoAnswer: { key: string; crmLeadId: string; record: CallRecord };
  dial: {
    key: string;
    attempt: number;
    phone: string;
    customerName: string;
    scenarioId: string;
    callerId: string;
  };
  reconcileCall: { key: string; attempt: number; dialKey: string };
  sendSms: { key: string; kind: 'night' | 'answered' | 'machine'; phone: string; text: string };
  notify: { key: string; notice: Notice };
}

export type EffectType = keyof EffectParams;

export type Effect = { [T in EffectType]: { type: T; params: EffectParams[T] } }[EffectType];

/** Every effect the machine can name: what the engine takes out of `transition()`'s actions. */
export const EFFECT_TYPES: ReadonlySet<string> = new Set<EffectType>([
  'lookupPartner',
  'createCrmLead',
  'recordCall',
  'markNoAnswer',
  'dial',
  'reconcileCall',
  'sendSms',
  'notify',
]);

/** Effects that cost money: started at most once per key, never re-sent after a crash. */
export const PAID_EFFECTS: ReadonlySet<EffectType> = new Set(['dial', 'sendSms']);

/** Effects on the CRM whose results come back to the machine as CRM_* events. */
export const CRM_EFFECTS: ReadonlySet<EffectType> = new Set([
  'lookupPartner',
  'createCrmLead',
  'recordCall',
  'markNoAnswer',
]);

export const effectKey = {
  partner: (leadId: string) => `lead:${leadId}:partner`,
  /** The first creation keeps the original key; each `RETRY_CRM` queues a new one. */
  crmCreate: (leadId: string, attempt = 1) =>
    attempt <= 1 ? `lead:${leadId}:crm-create` : `lead:${leadId}:crm-create:${attempt}`,
  /** What the CRM stores as the lead's origin id: the same for every retry of the create. */
  crmLead: (leadId: string) => `prozvon:${leadId}`,
  dial: (leadId: string, attempt: number) => `lead:${leadId}:dial:${attempt}`,
  reconcile: (leadId: string, attempt: number) => `lead:${leadId}:reconcile:${attempt}`,
  call: (leadId: string, attempt: number) => `lead:${leadId}:call:${attempt}`,
  noAnswer: (leadId: string, attempt: number) => `lead:${leadId}:no-answer:${attempt}`,
  sms: (leadId: string, kind: string) => `lead:${leadId}:sms:${kind}`,
  notify: (leadId: string, what: string) => `lead:${leadId}:notify:${what}`,
  /** A shop's notice, not a lead's: once per shop and (shop's) day. */
  dailyLimitNotice: (tenantId: string, day: string) => `tenant:${tenantId}:notify:daily-limit:${day}`,
} as const;
