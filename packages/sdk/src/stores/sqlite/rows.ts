import type { SQLInputValue, SQLOutputValue } from 'node:sqlite';
import type { LeadFacts, LeadOutcome } from '../../ports/lead-facts.js';
import type {
  AuditEntry,
  AuditType,
  EffectRow,
  EffectStatus,
  JsonValue,
  NewAuditEntry,
  NewEffect,
  NewLead,
  StoredLead,
} from '../../ports/lead-store.js';

// Between the port's objects and the tables' rows. The tables are STRICT and written only by this
// store, so a row's column types are known; the casts below rest on that.

type Row = Record<string, SQLOutputValue>;
type Params = Record<string, SQLInputValue>;

interface LeadRow {
  id: string;
  tenant_id: string;
  ref: string | null;
  crm_state: string;
  call_state: string;
  snapshot: string;
  wake_at: number | null;
  finished: number;
  submitted_at: number;
  updated_at: number;
  version: number;
  lease_owner: string | null;
  lease_until: number | null;
}

interface EffectTableRow {
  id: number;
  key: string;
  lead_id: string;
  tenant_id: string;
  kind: string;
  paid: number;
  params: string;
  available_at: number;
  priority: number;
  status: string;
  attempts: number;
  lease_owner: string | null;
  lease_until: number | null;
  result: string;
  created_at: number;
  finished_at: number | null;
}

interface AuditRow {
  id: number;
  lead_id: string;
  at: number;
  type: string;
  key: string | null;
  detail: string;
}

export function toStoredLead(row: Row): StoredLead {
  const r = row as unknown as LeadRow;
  return {
    id: r.id,
    tenantId: r.tenant_id,
    ref: r.ref,
    crmState: r.crm_state,
    callState: r.call_state,
    snapshot: parseJson(r.snapshot),
    wakeAt: r.wake_at,
    finished: r.finished === 1,
    submittedAt: r.submitted_at,
    updatedAt: r.updated_at,
    version: r.version,
    leaseOwner: r.lease_owner,
    leaseUntil: r.lease_until,
  };
}

export function toEffectRow(row: Row): EffectRow {
  const r = row as unknown as EffectTableRow;
  return {
    id: r.id,
    key: r.key,
    leadId: r.lead_id,
    tenantId: r.tenant_id,
    kind: r.kind,
    paid: r.paid === 1,
    params: parseJson(r.params),
    availableAt: r.available_at,
    priority: r.priority,
    status: r.status as EffectStatus,
    attempts: r.attempts,
    leaseOwner: r.lease_owner,
    leaseUntil: r.lease_until,
    result: parseJson(r.result),
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

/** A row of stray_audit. */
export function toAuditEntry(row: Row): AuditEntry {
  const r = row as unknown as AuditRow;
  return {
    id: r.id,
    leadId: r.lead_id,
    at: r.at,
    type: r.type as AuditType,
    key: r.key,
    detail: parseJson(r.detail),
  };
}

export function leadParams(lead: NewLead): Params {
  return {
    id: lead.id,
    tenantId: lead.tenantId,
    ref: lead.ref,
    crmState: lead.crmState,
    callState: lead.callState,
    snapshot: toJsonText(lead.snapshot),
    wakeAt: lead.wakeAt,
    finished: lead.finished ? 1 : 0,
    submittedAt: lead.submittedAt,
    bodyHash: lead.bodyHash ?? null,
    adoptedCrmLeadId: lead.adoptedCrmLeadId ?? null,
    partner: lead.facts?.partner ?? null,
    partnerName: lead.facts?.partnerName ?? null,
    site: lead.facts?.site ?? null,
    orderSum: lead.facts?.orderSum ?? null,
    currency: lead.facts?.currency ?? null,
    firstRingAt: lead.facts?.firstRingAt ?? null,
    answeredAt: lead.facts?.answeredAt ?? null,
    outcome: lead.facts?.outcome ?? null,
  };
}

export function toLeadFacts(row: Row): LeadFacts {
  const r = row as unknown as {
    partner: string | null;
    partner_name: string | null;
    site: string | null;
    order_sum: number | null;
    currency: string | null;
    first_ring_at: number | null;
    answered_at: number | null;
    outcome: LeadOutcome | null;
    machine_person_at: number | null;
    machine_person_by: string | null;
  };
  return {
    partner: r.partner,
    partnerName: r.partner_name,
    site: r.site,
    orderSum: r.order_sum,
    currency: r.currency,
    firstRingAt: r.first_ring_at,
    answeredAt: r.answered_at,
    outcome: r.outcome,
    machinePersonAt: r.machine_person_at,
    machinePersonBy: r.machine_person_by,
  };
}

export function effectParams(effect: NewEffect, createdAt: number): Params {
  return {
    key: effect.key,
    leadId: effect.leadId,
    tenantId: effect.tenantId,
    kind: effect.kind,
    paid: effect.paid ? 1 : 0,
    params: toJsonText(effect.params),
    availableAt: effect.availableAt,
    priority: effect.priority,
    createdAt,
  };
}

/** Entries one audit_log row holds at most: an entry's id is its row's id × this + its place. */
export const AUDIT_ROW_ENTRIES = 1_024;

/**
 * The rows of audit_log a write's entries go to: one per run of entries about the same lead (a
 * write is about one lead: one row), in their order.
 */
export function auditRowParams(entries: readonly NewAuditEntry[]): Params[] {
  const rows: { leadId: string; entries: unknown[] }[] = [];
  for (const entry of entries) {
    let row = rows.at(-1);
    if (row?.leadId !== entry.leadId || row.entries.length === AUDIT_ROW_ENTRIES) {
      row = { leadId: entry.leadId, entries: [] };
      rows.push(row);
    }
    row.entries.push([entry.at, entry.type, entry.key, entry.detail]);
  }
  return rows.map((row) => ({ leadId: row.leadId, entries: toJsonText(row.entries) }));
}

/** The entries of one audit_log row, with their ids. */
export function toAuditEntries(row: Row): AuditEntry[] {
  const id = row.id as number;
  const leadId = row.lead_id as string;
  const entries = parseJson(row.entries as string) as [number, AuditType, string | null, JsonValue][];
  return entries.map(([at, type, key, detail], index) => ({
    id: id * AUDIT_ROW_ENTRIES + index,
    leadId,
    at,
    type,
    key,
    detail,
  }));
}

/** An entry of stray_audit (an id no lead has), one a row. */
export function auditParams(entry: NewAuditEntry): Params {
  return {
    leadId: entry.leadId,
    at: entry.at,
    type: entry.type,
    key: entry.key,
    detail: toJsonText(entry.detail),
  };
}

/** `unknown` notes included: what JSON cannot hold (undefined, a function) is stored as null. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

function parseJson(text: string): JsonValue {
  return JSON.parse(text) as JsonValue;
}
