import { createBitrix24Crm } from '@prozvon/adapters-bitrix24';
import { describe, expect, it } from 'vitest';
import { PortalRests } from '../../src/b24/portal-rests.js';
import { crmAuthForPortal } from '../../src/oauth/crm-auth.js';
import { PortalClients } from '../../src/oauth/portal-clients.js';
import { PortalTokenRefresher } from '../../src/oauth/token-refresher.js';
import { MemoryPortalStore } from '../../src/portals/memory-portal-store.js';
import { installPortal, useSim } from './sim-portal.js';

const newSim = useSim({ realLimit: true });

// Bitrix24 counts a portal's requests in one bucket (50, draining 2 a second); b24jssdk's limiter
// lives in a client object. The app's own calls and its CRM adapter's must therefore go through
// one client per portal, or together they overflow the bucket the limiter of each respects.
describe("the app's own calls and the CRM adapter's share one limiter per portal", () => {
  it('a burst on both paths at the real limit meets no QUERY_LIMIT_EXCEEDED', async () => {
    const env = await newSim();
    const store = new MemoryPortalStore();
    const portal = await installPortal(env, store);
    const refresher = new PortalTokenRefresher({ store, app: env.app });
    const clients = new PortalClients({ refresher, app: env.app });
    const rests = new PortalRests(store, clients);
    const crm = createBitrix24Crm({
      auth: crmAuthForPortal(portal, clients, (memberId) => store.getByMemberId(memberId)),
    });
    const counts = env.sim.portal('a').restRequests;
    const before = counts.total;

    // 56 requests: more than the bucket's 50, fewer than two limiters' 100. (With a client of its
    // own, the adapter's requests met QUERY_LIMIT_EXCEEDED here.)
    const rest = await rests.forPortal(portal.memberId);
    const own = Array.from({ length: 44 }, (_, i) =>
      rest.call('crm.lead.list', { filter: { ID: i + 1 }, select: ['ID'] }),
    );
    const adapter = (async () => {
      // One batch each: the adapter sends its next request once the previous one is answered.
      for (let i = 0; i < 12; i++) await crm.findLeadByKey(`lead-${i}`);
    })();
    await Promise.all([...own, adapter]);

    expect(counts.total - before).toBe(56);
    expect(counts.queryLimitExceeded).toBe(0);
  }, 20_000);
});
