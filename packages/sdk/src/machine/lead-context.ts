import type { Lead } from '../lead/index.js';
import type { PhoneResult } from '../phone/index.js';
import type { CallOutcome, CallRecord, CrmPartner } from '../ports/index.js';

export interface LeadMachineInput {
  readonly leadId: string;
  readonly tenantId: string;
  readonly lead: Lead;
  /** When the lead was accepted. */
  readonly at: number;
  /**
   * False when the shop's daily ceiling of calls or SMS is reached (abuse/): the lead goes to the
   * sellers uncalled and untexted. Absent means allowed.
   */
  readonly callsAllowed?: boolean;
  /** The phone as the engine already normalised it for this tenant (not read a second time). */
  readonly phone?: PhoneResult;
  /**
   * The CRM lead this lead was adopted from (`LeadEngine.adoptCrmLead`): it already exists in the
   * CRM (a web form, a seller's entry, the CRM's callback widget), so the CRM region starts
   * `crm.created` with it — no partner look-up, no creation. Absent: Prozvon creates the CRM lead.
   */
  readonly adoptedFrom?: AdoptedCrmLead;
}

/** A lead that exists in the CRM: its id there, and the link to its card when known. */
export interface AdoptedCrmLead {
  readonly crmLeadId: string;
  readonly crmUrl?: string | undefined;
  /** What made it (`webform`, `callback`, `manual`…): kept on the audit trail only. */
  readonly origin?: string | undefined;
}

/** A write to the CRM lead's card, kept until the CRM lead exists and the previous write is done. */
export interface CrmWrite {
  readonly kind: 'recordCall' | 'markNoAnswer';
  readonly record: CallRecord;
}

export interface LeadContext {
  readonly leadId: string;
  readonly tenantId: string;
  readonly lead: Lead;
  readonly submittedAt: number;
  /** The instant of the event being handled: what guards compare times with. */
  readonly now: number;
  readonly phone: PhoneResult;
  readonly partner: CrmPartner | null;
  readonly crmLeadId: string | null;
  readonly crmUrl: string | null;
  /** Call outcomes to write on the card, oldest first; written one at a time, in order. */
  readonly crmQueue: readonly CrmWrite[];
  /** Key of the CRM write in flight, if any. */
  readonly crmWriting: string | null;
  /** Call attempts started so far. */
  readonly attempt: number;
  /** When the call region wants to be woken: the window opening, a retry, a callback timeout. */
  readonly callWakeAt: number | null;
  readonly attemptStartedAt: number | null;
  /** The callback timed out and the provider's history is being asked. */
  readonly reconciling: boolean;
  readonly nightSmsSent: boolean;
  readonly outcomes: readonly { attempt: number; outcome: CallOutcome | 'unknown' }[];
  readonly manualReason: string | null;
  /** Times the CRM lead was asked for: 1, then one more for each `RETRY_CRM`. */
  readonly crmAttempt: number;
  /** See LeadMachineInput; absent in snapshots stored before it existed, which were allowed. */
  readonly callsAllowed?: boolean;
}
