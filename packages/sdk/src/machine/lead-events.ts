import type { CallReport, CrmPartner, PortErrorCode } from '../ports/index.js';

/**
 * What can happen to a lead. Every event carries `at`, the instant it happened, so the machine
 * never reads a clock: time comes in with the event.
 */
export type LeadEvent =
  | { type: 'WAKE'; at: number }
  | { type: 'PARTNER_FOUND'; at: number; partner: CrmPartner | null }
  | { type: 'CRM_CREATED'; at: number; crmLeadId: string; crmUrl?: string | undefined }
  | { type: 'CRM_FAILED'; at: number; effectKey: string; code: 'auth' | 'permanent'; message: string }
  | { type: 'CRM_WRITTEN'; at: number; effectKey: string }
  | { type: 'DIAL_STARTED'; at: number; attempt: number; sessionId: string }
  | { type: 'DIAL_FAILED'; at: number; attempt: number; code: PortErrorCode; message: string }
  | { type: 'CALL_RESULT'; at: number; attempt: number; report: CallReport }
  /**
   * What call history says of an attempt whose result never came: its report, or null when the
   * provider has no call under the attempt's key (nothing rang: dial again) — unless `unavailable`,
   * when history could not be read at all and nothing can be known.
   */
  | { type: 'RECONCILED'; at: number; attempt: number; report: CallReport | null; unavailable?: boolean }
  /** A person (`by`) asks to send a lead whose CRM creation failed to the CRM again. */
  | { type: 'RETRY_CRM'; at: number; by: string }
  /**
   * A person (`by`) asks to call a lead that waits (for its next attempt, or for the shop's
   * hours) now: the attempt starts at `at` if the hours allow a call then, else nothing changes.
   */
  | { type: 'CALL_NOW'; at: number; by: string }
  /**
   * Stop: `calls` hands the call region to the sellers (no more calls or texts); `all` ends both
   * regions (the tenant was removed). Queued dials and texts are cancelled with the decision.
   */
  | { type: 'CANCEL'; at: number; by: string; reason: string; scope: 'calls' | 'all' };

export type LeadEventType = LeadEvent['type'];
