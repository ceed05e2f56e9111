import type { StoredLead } from '../ports/lead-store.js';

/**
 * The order claimDueLeads answers in (LeadStore): earliest `wakeAt` first, then first submitted.
 * A claim's `RETURNING` follows no ORDER BY, so the SQL stores sort what it gave back by this.
 */
export function byLeadClaimOrder(a: StoredLead, b: StoredLead): number {
  return (a.wakeAt ?? 0) - (b.wakeAt ?? 0) || a.submittedAt - b.submittedAt;
}
