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
  | { type: 'RECONCILED'; at: number; attempt: number; report: CallReport | null };

export type LeadEventType = LeadEvent['type'];
