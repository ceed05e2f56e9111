import { restrictionParams } from '@prozvon/adapters-bitrix24';
import { createTestSchema, type TestSchema } from '@prozvon/store-postgres/testing';
import { findPostgres } from '@prozvon/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PortalRests } from '../../src/b24/portal-rests.js';
import { PostgresRequestBudget } from '../../src/budget/postgres-request-budget.js';
import { budgetRateOf, type RequestBudget, UnsharedRequestBudget } from '../../src/budget/request-budget.js';
import { PortalClients } from '../../src/oauth/portal-clients.js';
import { PortalTokenRefresher } from '../../src/oauth/token-refresher.js';
import { MemoryPortalStore } from '../../src/portals/memory-portal-store.js';
import { installPortal, useSim } from './sim-portal.js';

// Two app instances on one portal: each client's limiter keeps the portal's rate, so together
// they send twice it and the portal refuses some. The budget on PostgreSQL is one for both.

const postgres = findPostgres();
if (!postgres.found) console.warn(postgres.reason);

// A small, quick plan: the portal's bucket holds 20 and drains 10 a second; the clients and the
// budget keep half of it free, a second of requests arriving closer together than they left.
const PORTAL_LIMIT = { burst: 20, drainPerSecond: 10 };
const base = restrictionParams('standard');
const limiter = {
  ...base,
  rateLimit: { adaptiveEnabled: true, ...base.rateLimit, burstLimit: 10, drainRate: 10 },
};
const PER_INSTANCE = 20;

const newSim = useSim({ realLimit: true });

describe.skipIf(!postgres.found)('two instances calling one portal', () => {
  let schema: TestSchema;
  beforeAll(async () => {
    if (postgres.found) schema = await createTestSchema(postgres.url, 'prozvon_shared_budget_test');
  });
  afterAll(async () => schema?.drop());
  const opened: RequestBudget[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((budget) => budget.close()));
  });

  /** Each instance's requests at once, through its own PortalClients and budget; the portal's counts. */
  const burst = async (budgetOf: () => Promise<RequestBudget>) => {
    const env = await newSim();
    env.sim.setRateLimit(PORTAL_LIMIT);
    const store = new MemoryPortalStore();
    const portal = await installPortal(env, store);
    const errors: unknown[] = [];
    const instance = async () => {
      const budget = await budgetOf();
      opened.push(budget);
      const clients = new PortalClients({
        refresher: new PortalTokenRefresher({ store, app: env.app }),
        app: env.app,
        restrictionParams: limiter,
        budget: { of: budget, onError: (error) => errors.push(error) },
      });
      return new PortalRests(store, clients);
    };
    const instances = [await instance(), await instance()];
    const counts = env.sim.portal('a').restRequests;
    const answers = await Promise.all(
      instances.map(async (rests) => {
        const rest = await rests.forPortal(portal.memberId);
        return Promise.allSettled(
          Array.from({ length: PER_INSTANCE }, (_, i) =>
            rest.call('crm.lead.list', { filter: { ID: i + 1 }, select: ['ID'] }),
          ),
        );
      }),
    );
    expect(errors).toEqual([]);
    const failed = answers.flat().filter((answer) => answer.status === 'rejected').length;
    return { total: counts.total, refused: counts.queryLimitExceeded, failed };
  };

  it('without a shared budget, the portal refuses some of their requests', async () => {
    const { refused } = await burst(async () => new UnsharedRequestBudget());
    expect(refused).toBeGreaterThan(0);
  });

  it('with the budget on PostgreSQL, none is refused', async () => {
    const result = await burst(() =>
      PostgresRequestBudget.open({ url: schema.url, schema: schema.name, rate: budgetRateOf(limiter) }),
    );
    expect(result).toEqual({ total: 2 * PER_INSTANCE, refused: 0, failed: 0 });
  });
});
