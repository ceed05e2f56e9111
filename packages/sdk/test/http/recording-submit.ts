import type { SubmitResult } from '../../src/engine/index.js';
import { type Lead, parseLead } from '../../src/lead/index.js';

/**
 * A `submit` for the HTTP handlers that validates as the engine does (parseLead), records the
 * leads it accepted and counts every call, refused or not; its answer is a lead just dialling.
 */
export function recordingSubmit() {
  const accepted: Lead[] = [];
  let calls = 0;
  const submit = async (body: unknown): Promise<SubmitResult> => {
    calls++;
    const parsed = parseLead(body);
    if (!parsed.ok) throw parsed.error;
    accepted.push(parsed.lead);
    return {
      leadId: `L${accepted.length}`,
      state: 'call.dialing',
      crmState: 'crm.creating',
      callState: 'call.dialing',
    };
  };
  return { submit, accepted, submits: () => calls };
}
