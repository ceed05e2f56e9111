import type {
  JsonValue,
  LeadUpdate,
  NewAuditEntry,
  NewEffect,
  NewLead,
  StoredLead,
} from '../../src/ports/lead-store.js';

// Builders for the contract suite: every field spelled out once, so a test names only what it is about.

/** 2026-11-25 12:00 UTC: a fixed origin keeps the figures in failures readable. */
export const T0 = 1_795_608_000_000;

export function newLead(id: string, overrides: Partial<NewLead> = {}): NewLead {
  return {
    id,
    tenantId: 'shop-1',
    ref: null,
    crmState: 'partnerLookup',
    callState: 'callable',
    snapshot: { value: { crm: 'partnerLookup', call: 'callable' }, context: { attempt: 0 } },
    wakeAt: null,
    finished: false,
    submittedAt: T0,
    ...overrides,
  };
}

export function newEffect(leadId: string, name: string, overrides: Partial<NewEffect> = {}): NewEffect {
  return {
    key: `lead:${leadId}:${name}`,
    leadId,
    tenantId: 'shop-1',
    kind: name,
    paid: false,
    params: { name },
    availableAt: T0,
    priority: T0,
    ...overrides,
  };
}

export function auditEntry(leadId: string, detail: JsonValue, overrides: Partial<NewAuditEntry> = {}) {
  const entry: NewAuditEntry = { leadId, at: T0, type: 'event', key: null, detail, ...overrides };
  return entry;
}

/** A decision that keeps the lead as it is but for what `overrides` changes. */
export function sameState(lead: StoredLead, overrides: Partial<LeadUpdate> = {}): LeadUpdate {
  return {
    crmState: lead.crmState,
    callState: lead.callState,
    snapshot: lead.snapshot,
    wakeAt: lead.wakeAt,
    finished: lead.finished,
    updatedAt: lead.updatedAt,
    effects: [],
    audit: [],
    ...overrides,
  };
}

/** A decision that finishes the lead in both regions. */
export function finish(lead: StoredLead, at: number): LeadUpdate {
  return sameState(lead, {
    crmState: 'created',
    callState: 'answered',
    wakeAt: null,
    finished: true,
    updatedAt: at,
  });
}
