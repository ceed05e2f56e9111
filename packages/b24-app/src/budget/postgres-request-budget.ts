import { type AppPool, openAppPool } from '../portals/open-app-pool.js';
import type { BudgetRate, RequestBudget } from './request-budget.js';

export interface PostgresRequestBudgetOptions {
  /** `postgres://…`: the database of the leads and portals (PROZVON_DATABASE_URL). */
  readonly url: string;
  /** Their schema; absent: the server's search_path. */
  readonly schema?: string;
  readonly rate: BudgetRate;
  /**
   * The time the budget is kept on, in ms; by default the database's clock, one for every
   * instance whatever their own clocks say. A test gives a fixed one to see the arithmetic.
   */
  readonly now?: () => number;
  readonly poolSize?: number;
}

/** One request's place in its portal's budget, on the budget's clock. */
export interface BudgetGrant {
  /** When it may be sent (ms). */
  readonly at: number;
  /** How long from now that is (0: at once). */
  readonly waitMs: number;
}

type Pool = AppPool;

/**
 * The RequestBudget on PostgreSQL, for several app instances calling one portal: a generic cell
 * rate algorithm (GCRA) whose state is one row per portal, the theoretical arrival time of its
 * next request (`tat_ms`). Each take moves it on by one interval, `greatest(tat, now) + 1/rate`,
 * in one statement under the row's lock, so takes from every instance are serialised and each
 * gets a slot of its own: a request may go once `tat - burst × interval` is reached. A portal idle
 * for a while has a tat in the past: its next `burst` requests go at once, as its bucket on
 * Bitrix24's side has drained meanwhile. Another portal's row is never touched.
 */
export class PostgresRequestBudget implements RequestBudget {
  readonly #pool: Pool;
  readonly #intervalMs: number;
  readonly #burst: number;
  readonly #now: (() => number) | undefined;

  private constructor(pool: Pool, options: PostgresRequestBudgetOptions) {
    this.#pool = pool;
    // Whole ms, rounded up: a rate that does not divide a second is kept a little under, not over.
    this.#intervalMs = Math.ceil(1000 / options.rate.perSecond);
    this.#burst = Math.max(1, Math.floor(options.rate.burst));
    this.#now = options.now;
  }

  /** Connects and applies the app's migration set (the portal store's) under its advisory lock. */
  static async open(options: PostgresRequestBudgetOptions): Promise<PostgresRequestBudget> {
    const pool = await openAppPool(options, 'prozvon-request-budget', 2);
    return new PostgresRequestBudget(pool, options);
  }

  async take(memberId: string): Promise<number> {
    return (await this.grant(memberId)).waitMs;
  }

  /** Takes one request of the portal's budget: when it may be sent, and how long from now. */
  async grant(memberId: string): Promise<BudgetGrant> {
    // $2: the caller's clock, or null for the database's (clock_timestamp: the statement's own
    // moment, not its transaction's start). A new row's tat is now + interval; an old one's is
    // greatest(tat, now) + interval, written as greatest(tat + interval, now + interval).
    const { rows } = await this.#pool.query(
      `WITH clock AS (
         SELECT coalesce($2::bigint, floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) AS now_ms
       )
       INSERT INTO portal_request_budgets AS budget (member_id, tat_ms)
       SELECT $1, now_ms + $3 FROM clock
       ON CONFLICT (member_id) DO UPDATE
         SET tat_ms = greatest(budget.tat_ms + $3, excluded.tat_ms)
       RETURNING budget.tat_ms - $4 AS at_ms, (SELECT now_ms FROM clock) AS now_ms`,
      [memberId, this.#now?.() ?? null, this.#intervalMs, this.#burst * this.#intervalMs],
    );
    const row = rows[0] as { at_ms: number; now_ms: number };
    const at = Math.max(row.now_ms, row.at_ms);
    return { at, waitMs: at - row.now_ms };
  }

  async close(): Promise<void> {
    if (!this.#pool.ended) await this.#pool.end();
  }
}
