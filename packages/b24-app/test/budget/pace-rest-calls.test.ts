import { describe, expect, it } from 'vitest';
import { PortalRests } from '../../src/b24/portal-rests.js';
import type { RequestBudget } from '../../src/budget/request-budget.js';
import { PortalClients } from '../../src/oauth/portal-clients.js';
import { PortalTokenRefresher } from '../../src/oauth/token-refresher.js';
import { MemoryPortalStore } from '../../src/portals/memory-portal-store.js';
import { recordRestCalls } from '../../src/rest-log/record-rest-calls.js';
import type { RestLogEntry } from '../../src/rest-log/rest-log.js';
import { installPortal, useSim } from '../oauth/sim-portal.js';

const newSim = useSim();

describe("a portal client's requests wait for the portal's budget", () => {
  /** A portal's client recording its requests, with `take` as its budget; what was taken and recorded. */
  const setUp = async (take: (memberId: string) => Promise<number>) => {
    const env = await newSim();
    const store = new MemoryPortalStore();
    const recorded: RestLogEntry[] = [];
    const errors: unknown[] = [];
    // The log's clock reads how many budget takes have been made so far.
    let taken = 0;
    const budget: RequestBudget = {
      take: async (memberId) => {
        taken++;
        return take(memberId);
      },
      close: async () => undefined,
    };
    const clients = new PortalClients({
      refresher: new PortalTokenRefresher({ store, app: env.app, clock: env.clock }),
      app: env.app,
      clock: env.clock,
      onClient: (client, portal) =>
        recordRestCalls(
          client,
          portal.memberId,
          (e) => recorded.push(e),
          () => taken,
        ),
      budget: { of: budget, onError: (error) => errors.push(error) },
    });
    const rests = new PortalRests(store, clients);
    const portal = await installPortal(env, store);
    return { rest: await rests.forPortal(portal.memberId), memberId: portal.memberId, recorded, errors };
  };

  it('takes one per request, before the REST log notes the request leaving', async () => {
    const asked: string[] = [];
    const { rest, memberId, recorded, errors } = await setUp(async (id) => {
      asked.push(id);
      return 1;
    });
    await rest.call('crm.lead.list', { filter: { ID: 1 } });
    await rest.call('crm.lead.list', { filter: { ID: 2 } });
    expect(asked).toEqual([memberId, memberId]);
    // Noted after the first take, then after the second: the wait came first.
    expect(recorded.map((entry) => entry.at)).toEqual([1, 2]);
    expect(errors).toEqual([]);
  });

  it('a budget that fails is reported and the request goes unheld', async () => {
    const { rest, recorded, errors } = await setUp(async () => {
      throw new Error('database unreachable');
    });
    await rest.call('crm.lead.list', { filter: { ID: 1 } });
    expect(recorded.map((entry) => entry.outcome)).toEqual(['ok']);
    expect(errors).toEqual([new Error('database unreachable')]);
  });
});
