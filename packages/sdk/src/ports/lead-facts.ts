/**
 * What the dashboard reads of a lead, kept as columns of its row (not read out of its snapshot),
 * so a tenant's figures over a period are one indexed scan in SQL. The engine fills them as the
 * lead moves (engine/lead-facts.ts); a store migration fills them for leads stored before.
 */

/**
 * How a lead's calling ended, as the call region's final state says: `no_answer` is `call.manual`
 * after the last attempt rang unanswered, `manual` every other hand-over to the sellers (a refused
 * dial, no call result, a stop, the daily limit). Null while the call region is not done.
 */
export const LEAD_OUTCOMES = ['answered', 'machine', 'no_answer', 'invalid', 'manual'] as const;
export type LeadOutcome = (typeof LEAD_OUTCOMES)[number];

export interface LeadFacts {
  /** The referring partner's code as the shop sent it (`partnerCode`, the link's utm_source). */
  readonly partner: string | null;
  /** The partner's name as the CRM look-up found it. */
  readonly partnerName: string | null;
  readonly site: string | null;
  readonly orderSum: number | null;
  /** ISO 4217 code of `orderSum`, when the shop sent one. */
  readonly currency: string | null;
  /** When the first call attempt left for the customer's phone (the provider took it). */
  readonly firstRingAt: number | null;
  /** When the customer picked up the answered call (its result's instant less its duration). */
  readonly answeredAt: number | null;
  readonly outcome: LeadOutcome | null;
  /** A seller said the `machine` outcome was a person ("it was a person"): when, and who. */
  readonly machinePersonAt: number | null;
  readonly machinePersonBy: string | null;
}

/** A new lead's facts; what is absent is null. */
export type NewLeadFacts = Partial<Omit<LeadFacts, 'machinePersonAt' | 'machinePersonBy'>>;

/**
 * What a decision changes of the facts; an absent field is left as it is. `firstRingAt` and
 * `answeredAt` keep the first value written: a later attempt does not move the first ring.
 */
export type LeadFactsUpdate = Partial<
  Pick<LeadFacts, 'partnerName' | 'firstRingAt' | 'answeredAt' | 'outcome'>
>;

/** The facts every field of which is null. */
export const NO_FACTS: LeadFacts = {
  partner: null,
  partnerName: null,
  site: null,
  orderSum: null,
  currency: null,
  firstRingAt: null,
  answeredAt: null,
  outcome: null,
  machinePersonAt: null,
  machinePersonBy: null,
};

/** A seller's "it was a person" on a lead (`LeadStore.markMachinePerson`). */
export interface MachinePersonMark {
  readonly leadId: string;
  readonly tenantId: string;
  /** Who said so (`b24user:<id>`): on the lead's audit trail and its facts. */
  readonly by: string;
  readonly at: number;
}

export type MachinePersonResult =
  /** Marked now; `at` and `by` are this mark's. */
  | { readonly outcome: 'marked'; readonly at: number; readonly by: string }
  /** Marked before: nothing written, the first mark's `at` and `by`. */
  | { readonly outcome: 'already_marked'; readonly at: number; readonly by: string }
  /** The lead's calling did not end on an answering machine (or has not ended). */
  | { readonly outcome: 'not_machine'; readonly leadOutcome: LeadOutcome | null }
  /** No such lead of this tenant. */
  | { readonly outcome: 'unknown_lead' };
