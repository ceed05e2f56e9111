import type { MachinePersonMark } from '../ports/lead-facts.js';
import type { NewAuditEntry } from '../ports/lead-store.js';

/** The audit entry of a seller's "it was a person", as every store files it. */
export function machinePersonAudit(mark: MachinePersonMark): NewAuditEntry {
  return {
    leadId: mark.leadId,
    at: mark.at,
    type: 'event',
    key: null,
    detail: { event: 'MACHINE_WAS_PERSON', by: mark.by },
  };
}
