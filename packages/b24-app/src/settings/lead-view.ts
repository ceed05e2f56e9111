import type { AuditEntry, EffectRow, LeadFacts, StoredLead } from '@prozvon/sdk';

/**
 * A lead as the pages show it: its states and times, and from its snapshot the customer and the
 * CRM card. Never the lease fields (the engine's own business).
 */
export function leadSummary(lead: StoredLead) {
  const context = contextOf(lead);
  const customer = (context.lead ?? {}) as Record<string, unknown>;
  return {
    id: lead.id,
    ref: lead.ref,
    crmState: lead.crmState,
    callState: lead.callState,
    finished: lead.finished,
    submittedAt: lead.submittedAt,
    updatedAt: lead.updatedAt,
    wakeAt: lead.wakeAt,
    name: typeof customer.name === 'string' ? customer.name : null,
    phone: typeof customer.phone === 'string' ? customer.phone : null,
    crmLeadId: typeof context.crmLeadId === 'string' ? context.crmLeadId : null,
    attempt: typeof context.attempt === 'number' ? context.attempt : 0,
    manualReason: typeof context.manualReason === 'string' ? context.manualReason : null,
  };
}

/** The lead tab's timeline: the lead, what it asked to be done and what happened, oldest first. */
export function leadDetail(
  lead: StoredLead,
  effects: readonly EffectRow[],
  audit: readonly AuditEntry[],
  facts: LeadFacts | null,
) {
  return {
    lead: { ...leadSummary(lead), version: lead.version, context: contextOf(lead) },
    /** The dashboard's columns: outcome, first ring, pick-up, "it was a person" (`machinePersonAt`/`By`). */
    facts,
    effects: effects.map((effect) => ({
      id: effect.id,
      kind: effect.kind,
      status: effect.status,
      attempts: effect.attempts,
      paid: effect.paid,
      availableAt: effect.availableAt,
      createdAt: effect.createdAt,
      finishedAt: effect.finishedAt,
      result: effect.result,
      about: effectAbout(effect.kind, effect.params),
    })),
    audit: audit.map((entry) => ({
      id: entry.id,
      at: entry.at,
      type: entry.type,
      key: entry.key,
      detail: entry.detail,
    })),
  };
}

function contextOf(lead: StoredLead): Record<string, unknown> {
  const snapshot = lead.snapshot;
  if (typeof snapshot !== 'object' || snapshot === null || Array.isArray(snapshot)) return {};
  const context = (snapshot as Record<string, unknown>).context;
  return typeof context === 'object' && context !== null && !Array.isArray(context)
    ? (context as Record<string, unknown>)
    : {};
}

/**
 * What the lead tab shows of an effect's parameters: the SMS's kind and text, the notice's kind,
 * the call's attempt. Nothing else (the CRM lead's fields, the partner) leaves the server.
 */
function effectAbout(kind: string, params: unknown): Record<string, unknown> {
  if (typeof params !== 'object' || params === null) return {};
  const p = params as Record<string, unknown>;
  switch (kind) {
    case 'sendSms':
      return { kind: p.kind, text: p.text };
    case 'notify': {
      const notice = p.notice as Record<string, unknown> | undefined;
      return { notice: notice?.kind ?? notice?.type ?? null };
    }
    case 'dial':
    case 'reconcileCall':
      return { attempt: p.attempt };
    case 'recordCall':
    case 'markNoAnswer': {
      const record = p.record as Record<string, unknown> | undefined;
      return {
        attempt: record?.attempt,
        outcome: record?.outcome,
        durationSec: record?.durationSec,
        recordingUrl: record?.recordingUrl ?? null,
      };
    }
    default:
      return {};
  }
}
