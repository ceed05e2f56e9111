import type { LeadOutcome } from './lead-facts.js';

/** What the dashboard's figures are grouped by. */
export type DashboardGroupBy = 'partner' | 'site';

/** The longest period the dashboard answers, in days (its chart has a bar a day). */
export const DASHBOARD_MAX_DAYS = 400;

export interface DashboardQuery {
  /** Leads submitted at or after `from` and before `to` (epoch ms). */
  readonly from: number;
  readonly to: number;
  readonly groupBy: DashboardGroupBy;
  /** The IANA zone whose calendar days the per-day counts follow (the tenant's `hours.timezone`). */
  readonly timeZone: string;
}

/** Leads by how their calling ended; `in_progress`: not ended yet. */
export type OutcomeCounts = Readonly<Record<LeadOutcome | 'in_progress', number>>;

/** The order sums of the leads that had one, in one currency (null: sent without a currency). */
export interface OrderSumFigures {
  readonly currency: string | null;
  readonly leads: number;
  readonly total: number;
  readonly average: number;
}

/**
 * Speed to lead over the leads that reached the instant (submit → first ring, submit → answer), in
 * milliseconds. `leads` is exact. The percentiles are read from log-scale buckets (the stores keep
 * histograms per day, not every delay; stores/speed-buckets.ts): of the n delays sorted, take the
 * one at 0-based index ⌊p·(n−1)⌋ (numpy's "lower": the median is the lower median; a store whose
 * `percentile_disc` takes ⌈p·n⌉, as PostgreSQL's does, must pick this one) and report the lower
 * bound of its bucket. So the exact percentile v lies in [reported, reported × 1.05), or in
 * [reported, reported + 1 ms) under 20 ms; a delay under 1 ms (a clock stepped back) reads 0.
 * Null when n = 0.
 */
export interface SpeedFigures {
  readonly leads: number;
  readonly medianMs: number | null;
  readonly p90Ms: number | null;
}

export interface DashboardFigures {
  readonly leads: number;
  /** By currency, null first then in code order. */
  readonly orderSums: readonly OrderSumFigures[];
  readonly outcomes: OutcomeCounts;
  readonly speed: { readonly firstRing: SpeedFigures; readonly answer: SpeedFigures };
  /**
   * The answering-machine detector's false positives: of the `machine` outcomes, how many a
   * seller marked as a person; `markRate` is marked / outcomes, null without machine outcomes.
   */
  readonly machine: {
    readonly outcomes: number;
    readonly markedPerson: number;
    readonly markRate: number | null;
  };
}

export interface DashboardGroup extends DashboardFigures {
  /** The partner code or the site; null for the leads without one. */
  readonly key: string | null;
  /**
   * The partner's name as the CRM found it (grouped by partner), else null: the greatest of the
   * group's leads' names (code-unit order). A store keeping rollups may also count a name a lead
   * of the period had before it was renamed or moved (the rollups only let a greater name in).
   */
  readonly name: string | null;
}

/** One calendar day of the tenant's zone: [from, to) in epoch ms (23 or 25 hours around DST). */
export interface DashboardDay {
  readonly date: string;
  readonly from: number;
  readonly to: number;
  readonly leads: number;
  readonly outcomes: OutcomeCounts;
}

export interface Dashboard {
  readonly total: DashboardFigures;
  /** Most leads first, then by key (null last). */
  readonly groups: readonly DashboardGroup[];
  /** Every day the period touches, in order, days without leads included. */
  readonly days: readonly DashboardDay[];
}
