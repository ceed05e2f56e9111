import type { RestrictionParams } from '@bitrix24/b24jssdk';

/**
 * Each portal's Bitrix24 request budget, shared by every process that calls the portal. Bitrix24
 * counts a portal's requests in one leaky bucket (BITRIX24.md §7) whoever sends them, while
 * b24jssdk's limiter lives in one client object of one process: two app instances on one portal
 * would each send the whole rate. The budget is taken before each HTTP request (pace-rest-calls.ts).
 */
export interface RequestBudget {
  /** Takes one request of the portal's budget: how many ms to wait before sending it (0: now). */
  take(memberId: string): Promise<number>;
  close(): Promise<void>;
}

/** The rate a budget keeps: `burst` requests at once, then `perSecond`. */
export interface BudgetRate {
  readonly burst: number;
  readonly perSecond: number;
}

/**
 * The budget of one process alone (SQLite: one instance): nothing to share, b24jssdk's limiter in
 * the portal's client keeps the rate.
 */
export class UnsharedRequestBudget implements RequestBudget {
  async take(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {}
}

/**
 * The rate of a client's limiter, so that the shared budget and each client's own limiter agree:
 * the CRM adapter's `restrictionParams` keep a tenth of the portal's burst free for requests that
 * arrive closer together than they were sent, which holds for the budget just as well.
 */
export function budgetRateOf(params: Partial<RestrictionParams>): BudgetRate {
  const { burstLimit = 50, drainRate = 2 } = params.rateLimit ?? {};
  return { burst: burstLimit, perSecond: drainRate };
}
