import { createTestSchema, type TestSchema } from '@prozvon/store-postgres/testing';
import { findPostgres } from '@prozvon/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PostgresRequestBudget } from '../../src/budget/postgres-request-budget.js';
import type { BudgetRate } from '../../src/budget/request-budget.js';

// Two budgets on one schema are two app instances: together they keep a portal's rate.

const postgres = findPostgres();
if (!postgres.found) console.warn(postgres.reason);

const T0 = Date.UTC(2026, 11, 7, 8, 0, 0);
const RATE: BudgetRate = { burst: 5, perSecond: 2 };
const INTERVAL = 500;

describe.skipIf(!postgres.found)('PostgresRequestBudget', () => {
  let schema: TestSchema;
  beforeAll(async () => {
    if (postgres.found) schema = await createTestSchema(postgres.url, 'prozvon_budget_test');
  });
  afterAll(async () => schema?.drop());
  beforeEach(async () => schema.empty());

  const opened: PostgresRequestBudget[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((budget) => budget.close()));
  });
  const two = async (now?: () => number) => {
    const open = () =>
      PostgresRequestBudget.open({
        url: schema.url,
        schema: schema.name,
        rate: RATE,
        ...(now === undefined ? {} : { now }),
      });
    const budgets = [await open(), await open()] as const;
    opened.push(...budgets);
    return budgets;
  };
  const takeAtOnce = (budgets: readonly PostgresRequestBudget[], memberId: string, count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, i) => (budgets[i % 2] as PostgresRequestBudget).grant(memberId)),
    );

  it('20 requests at one moment from two instances: the burst at once, then one slot per interval each', async () => {
    const budgets = await two(() => T0);
    const grants = await takeAtOnce(budgets, 'member-a', 20);
    // Each take got a slot of its own, whichever instance asked and in whatever order.
    expect(grants.map((grant) => grant.at - T0).sort((x, y) => x - y)).toEqual([
      0, 0, 0, 0, 0, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000, 5500, 6000, 6500, 7000, 7500,
    ]);
    expect(grants.every((grant) => grant.waitMs === grant.at - T0)).toBe(true);
    // Another portal is not slowed by the first's queue.
    expect(await budgets[1].take('member-b')).toBe(0);
    expect(await budgets[0].take('member-b')).toBe(0);
  });

  it('a portal idle long enough has its burst again', async () => {
    let now = T0;
    const budgets = await two(() => now);
    await takeAtOnce(budgets, 'member-a', 10);
    // Ten taken at T0 fill the portal's slots until ten intervals later; then a burst again.
    now = T0 + 10 * INTERVAL;
    const again = await takeAtOnce(budgets, 'member-a', 6);
    expect(again.map((grant) => grant.waitMs).sort((x, y) => x - y)).toEqual([0, 0, 0, 0, 0, 500]);
  });

  it("on the database's clock, the grants never exceed the burst plus the rate over any span", async () => {
    const budgets = await two();
    const at = (await takeAtOnce(budgets, 'member-a', 20)).map((grant) => grant.at).sort((x, y) => x - y);
    // GCRA's bound: from the j-th grant to the k-th, at least (k - j - burst + 1) intervals.
    for (let k = 1; k < at.length; k++)
      for (let j = 0; j < k; j++)
        expect((at[k] as number) - (at[j] as number)).toBeGreaterThanOrEqual(
          (k - j - RATE.burst + 1) * INTERVAL,
        );
    const b = await budgets[0].grant('member-b');
    expect(b.waitMs).toBe(0);
  });
});
