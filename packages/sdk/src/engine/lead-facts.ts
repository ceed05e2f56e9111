import type { LeadContext, LeadEvent } from '../machine/index.js';
import type { LeadFactsUpdate, LeadOutcome, NewLeadFacts } from '../ports/index.js';

// The dashboard's columns of a lead (ports/lead-facts.ts), derived by the engine from each
// decision: what the lead was submitted with, and what the event that moved it says.

/** The facts a lead starts with: the shop's data, and an outcome if calling ended at once. */
export function newLeadFacts(context: LeadContext, callState: string): NewLeadFacts {
  const { lead } = context;
  return {
    partner: lead.partnerCode ?? null,
    partnerName: context.partner?.name ?? null,
    site: lead.site ?? null,
    orderSum: lead.orderSum ?? null,
    currency: lead.currency ?? null,
    outcome: outcomeOf(callState, context.manualReason),
  };
}

/**
 * What a decision changes of the facts: the partner's name once found; the first ring when a dial
 * left (DIAL_STARTED) or, for an attempt whose dial failed ambiguously, when its call's report
 * came (the store keeps the first); the pick-up of an answered call (the result's instant less the
 * call's duration, never before its attempt began); the outcome whenever the call region moves.
 */
export function factsUpdate(
  event: LeadEvent,
  context: LeadContext,
  previousCallState: string,
  callState: string,
): LeadFactsUpdate | undefined {
  const facts: { -readonly [K in keyof LeadFactsUpdate]: LeadFactsUpdate[K] } = {};
  if (event.type === 'PARTNER_FOUND' && event.partner !== null) facts.partnerName = event.partner.name;
  if (event.type === 'DIAL_STARTED') facts.firstRingAt = event.at;
  const report = event.type === 'CALL_RESULT' || event.type === 'RECONCILED' ? event.report : null;
  if (report !== null) {
    const attemptStart = context.attemptStartedAt ?? context.submittedAt;
    facts.firstRingAt = attemptStart;
    if (report.outcome === 'answered' && callState === 'call.answered') {
      facts.answeredAt = Math.max(attemptStart, event.at - Math.round(report.durationSec * 1_000));
    }
  }
  if (callState !== previousCallState) facts.outcome = outcomeOf(callState, context.manualReason);
  return Object.keys(facts).length === 0 ? undefined : facts;
}

/** How calling ended, from the call region's state; null while it goes on. */
export function outcomeOf(callState: string, manualReason: string | null): LeadOutcome | null {
  switch (callState) {
    case 'call.answered':
      return 'answered';
    case 'call.machine':
      return 'machine';
    case 'call.invalid':
      return 'invalid';
    case 'call.manual':
      return manualReason === 'no_answer' ? 'no_answer' : 'manual';
    default:
      return null;
  }
}
