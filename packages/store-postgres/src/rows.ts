import type {
  AuditEntry,
  AuditType,
  EffectRow,
  EffectStatus,
  JsonValue,
  LeadFacts,
  LeadFactsUpdate,
  LeadOutcome,
  NewAuditEntry,
  NewEffect,
  NewLeadFacts,
  PendingCall,
  StoredLead,
} from '@prozvon/sdk';

// Between the port's objects and the tables' rows. pg hands back bigint as number (pool.ts),
// boolean as boolean and json parsed; the tables are written only by this store, so a row's column
// types are known and the casts below rest on that.

type Row = Record<string, unknown>;

interface LeadRow {
  id: string;
  tenant_id: string;
  ref: string | null;
  crm_state: string;
  call_state: string;
  snapshot: JsonValue;
  wake_at: number | null;
  finished: boolean;
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
  paid: boolean;
  params: JsonValue;
  available_at: number;
  priority: number;
  status: string;
  attempts: number;
  lease_owner: string | null;
  lease_until: number | null;
  result: JsonValue;
  created_at: number;
  finished_at: number | null;
}

export function toStoredLead(row: Row): StoredLead {
  const r = row as unknown as LeadRow;
  return {
    id: r.id,
    tenantId: r.tenant_id,
    ref: r.ref,
    crmState: r.crm_state,
    callState: r.call_state,
    snapshot: r.snapshot,
    wakeAt: r.wake_at,
    finished: r.finished,
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
    paid: r.paid,
    params: r.params,
    availableAt: r.available_at,
    priority: r.priority,
    status: r.status as EffectStatus,
    attempts: r.attempts,
    leaseOwner: r.lease_owner,
    leaseUntil: r.lease_until,
    result: r.result,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

/** `unknown` notes included: what JSON cannot hold (undefined, a function) is stored as null. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

/** The ten parallel arrays statements.ts' effect insert reads, in the order given. */
export function effectArrays(effects: readonly NewEffect[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 10 }, () => []);
  for (const e of effects) {
    const values = [
      e.key,
      e.leadId,
      e.tenantId,
      e.kind,
      e.paid,
      toJsonText(e.params),
      e.availableAt,
      e.priority,
      e.claim?.owner ?? null,
      e.claim?.leaseUntil ?? null,
    ];
    values.forEach((value, i) => {
      columns[i]?.push(value);
    });
  }
  return columns;
}

/** Each effect's cap (EffectClaim `cap`), the parallel array after effectArrays' in statements.ts. */
export function effectCaps(effects: readonly NewEffect[]): (number | null)[] {
  return effects.map((e) => e.claim?.cap ?? null);
}

/** Entries one audit_log row holds at most: an entry's id is its row's id × this + its place. */
export const AUDIT_ROW_ENTRIES = 1_024;

/**
 * The audit_log rows a write's entries go to, as two parallel arrays (lead ids, JSON entries): one
 * row per run of entries about the same lead (a write is about one lead: one row), in their order.
 */
export function auditArrays(entries: readonly NewAuditEntry[]): [string[], string[]] {
  const rows: { leadId: string; entries: unknown[] }[] = [];
  for (const entry of entries) {
    let row = rows.at(-1);
    if (row?.leadId !== entry.leadId || row.entries.length === AUDIT_ROW_ENTRIES) {
      row = { leadId: entry.leadId, entries: [] };
      rows.push(row);
    }
    row.entries.push([entry.at, entry.type, entry.key, entry.detail]);
  }
  return [rows.map((row) => row.leadId), rows.map((row) => toJsonText(row.entries))];
}

/** The entries of one audit_log row, with their ids. */
export function toAuditEntries(row: Row): AuditEntry[] {
  const id = row.id as number;
  const leadId = row.lead_id as string;
  const entries = row.entries as [number, AuditType, string | null, JsonValue][];
  return entries.map(([at, type, key, detail], index) => ({
    id: id * AUDIT_ROW_ENTRIES + index,
    leadId,
    at,
    type,
    key,
    detail,
  }));
}

/** A row of stray_audit: an entry about an id no lead has. */
export function toStrayAuditEntry(row: Row): AuditEntry {
  return {
    id: row.id as number,
    leadId: row.lead_id as string,
    at: row.at as number,
    type: row.type as AuditType,
    key: row.key as string | null,
    detail: row.detail as JsonValue,
  };
}

/** A call without a session has no `sessionId` key, as the memory store gives it back. */
export function toPendingCall(row: Row): PendingCall {
  const r = row as {
    call_id: string;
    key: string;
    lead_id: string;
    attempt: number;
    phone: string;
    caller_id: string;
    customer_name: string;
    scenario_id: string;
    created_at: number;
    session_id: string | null;
  };
  return {
    callId: r.call_id,
    key: r.key,
    leadId: r.lead_id,
    attempt: r.attempt,
    phone: r.phone,
    callerId: r.caller_id,
    customerName: r.customer_name,
    scenarioId: r.scenario_id,
    createdAt: r.created_at,
    ...(r.session_id === null ? {} : { sessionId: r.session_id }),
  };
}

/** A new lead's facts, in insertLeads' order ($12–$19); what is absent is null. */
export function newFactsValues(facts: NewLeadFacts | undefined): unknown[] {
  return [
    facts?.partner ?? null,
    facts?.partnerName ?? null,
    facts?.site ?? null,
    facts?.orderSum ?? null,
    facts?.currency ?? null,
    facts?.firstRingAt ?? null,
    facts?.answeredAt ?? null,
    facts?.outcome ?? null,
  ];
}

/** A decision's facts, in applyDecision's order ($26–$31): a flag says which overwrites it sets. */
export function factsUpdateValues(update: LeadFactsUpdate | undefined): unknown[] {
  return [
    update?.partnerName !== undefined,
    update?.partnerName ?? null,
    update?.outcome !== undefined,
    update?.outcome ?? null,
    update?.firstRingAt ?? null,
    update?.answeredAt ?? null,
  ];
}

interface LeadFactsRow {
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
}

export function toLeadFacts(row: Row): LeadFacts {
  const r = row as unknown as LeadFactsRow;
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
