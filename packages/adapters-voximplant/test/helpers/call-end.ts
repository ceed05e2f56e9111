import type { LeadEngine } from '@prozvon/sdk';
import { settle } from '@prozvon/sdk/testing';

const CALLING = ['call.callable', 'call.dialing', 'call.awaitingResult'];

/**
 * The lead's call state once the call is over. Real time passes for the loopback HTTP while the
 * engine's own clock may stand still, so this polls rather than advancing a clock.
 */
export async function callEndState(engine: LeadEngine, leadId: string, tries = 300): Promise<string> {
  for (let i = 0; i < tries; i++) {
    await settle();
    const lead = await engine.getLead('default', leadId);
    if (lead && !CALLING.includes(lead.callState)) return lead.callState;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`lead ${leadId} is still calling`);
}
