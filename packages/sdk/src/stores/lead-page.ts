import type { LeadCursor, LeadListQuery, LeadPage, StoredLead } from '../ports/lead-store.js';

/** Newest first: `submittedAt` descending, then `id` descending (ids break ties in one instant). */
export function newerFirst(a: LeadCursor, b: LeadCursor): number {
  if (a.submittedAt !== b.submittedAt) return b.submittedAt - a.submittedAt;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * `listLeads` over leads held in memory: the in-memory store's, and the reference the SQL ones
 * are checked against by the contract suite. Reads every lead of the store: for tests only.
 */
export function leadPageOf(leads: Iterable<StoredLead>, tenantId: string, query: LeadListQuery): LeadPage {
  const states = query.states !== undefined && query.states.length > 0 ? new Set(query.states) : null;
  const { cursor } = query;
  const matching = [...leads]
    .filter(
      (lead) =>
        lead.tenantId === tenantId &&
        (states === null || states.has(lead.crmState) || states.has(lead.callState)) &&
        (query.from === undefined || lead.submittedAt >= query.from) &&
        (query.to === undefined || lead.submittedAt < query.to) &&
        (cursor === undefined || newerFirst(cursor, lead) < 0),
    )
    .sort(newerFirst);
  return pageOf(matching, query.limit);
}

/** The first `limit` of `rows` (asked for one more), and the cursor after them if more follow. */
export function pageOf(rows: readonly StoredLead[], limit: number): LeadPage {
  const leads = rows.slice(0, limit);
  const last = leads.at(-1);
  const next =
    rows.length > limit && last !== undefined ? { submittedAt: last.submittedAt, id: last.id } : null;
  return { leads, next };
}
