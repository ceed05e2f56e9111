import { ApiVersion, type B24OAuth } from '@bitrix24/b24jssdk';
import { createBitrix24Crm } from '@prozvon/adapters-bitrix24';
import { describe, expect, it } from 'vitest';
import { PortalRests } from '../../src/b24/portal-rests.js';
import { crmAuthForPortal } from '../../src/oauth/crm-auth.js';
import { PortalClients } from '../../src/oauth/portal-clients.js';
import { PortalTokenRefresher } from '../../src/oauth/token-refresher.js';
import { MemoryPortalStore } from '../../src/portals/memory-portal-store.js';
import { installPortal, useSim } from './sim-portal.js';

const newSim = useSim({ realLimit: true });
const newUnlimitedSim = useSim();

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
  });

  it('a client PortalClients let go is not kept by the adapter: its next batch goes through the new one', async () => {
    const env = await newUnlimitedSim();
    const store = new MemoryPortalStore();
    const portal = await installPortal(env, store);
    const refresher = new PortalTokenRefresher({ store, app: env.app, clock: env.clock });
    const built: B24OAuth[] = [];
    const clients = new PortalClients({
      refresher,
      app: env.app,
      clock: env.clock,
      idleMs: 60_000,
      onClient: (client) => built.push(client),
    });
    const crm = createBitrix24Crm({
      auth: crmAuthForPortal(portal, clients, (memberId) => store.getByMemberId(memberId)),
    });
    const sent = (client: B24OAuth | undefined) =>
      client?.getHttpClient(ApiVersion.v2).getStats().totalRequests;
    expect(await crm.findLeadByKey('lead-1')).toBeNull();
    // Idle a minute, then another portal's call: PortalClients lets the first portal's client go.
    env.clock.advance(61_000);
    clients.forPortal(await installPortal(env, store, 'b'));
    expect(clients.size).toBe(1);
    expect(await crm.findLeadByKey('lead-2')).toBeNull();
    expect(await crm.findLeadByKey('lead-3')).toBeNull();
    // Built: a's first, b's, a's second; the first saw only the batch sent before it was let go.
    expect(built).toHaveLength(3);
    expect([sent(built[0]), sent(built[2])]).toEqual([1, 2]);
    expect(clients.size).toBe(2);
  });
});
