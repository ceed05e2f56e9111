import { createLogger, type TenantConfigInput } from '@prozvon/sdk';
import { describe, expect, it } from 'vitest';
import { MemoryPortalStore } from '../../src/portals/memory-portal-store.js';
import { PortalTenants } from '../../src/tenants/portal-tenants.js';

// Memory per portal (bench/app/rss-portals.js): a portal's tenant is kept only while it is used,
// and portals with the same settings share one config (the engine builds a lead machine per
// config object).

async function portalsWith(count: number, tenantSettings: (i: number) => TenantConfigInput) {
  const portals = new MemoryPortalStore();
  for (let i = 0; i < count; i++) {
    await portals.upsertInstall({
      memberId: `m${i}`,
      domain: `shop${i}.bitrix24.ru`,
      serverEndpoint: 'https://oauth.bitrix.info/rest/',
      clientEndpoint: `https://shop${i}.bitrix24.ru/rest/`,
      applicationToken: `app-token-${i}`,
      tokens: null,
      status: 'active',
      at: 0,
    });
    await portals.updateSettings(
      `m${i}`,
      { settings: { tenant: tenantSettings(i), providers: {} } },
      { by: 'owner', at: 1 },
    );
  }
  return portals;
}

function tenantsOf(portals: MemoryPortalStore, clock: { at: number }) {
  return new PortalTenants({
    portals,
    pendingCalls: {
      savePendingCall: async () => {},
      getPendingCall: async () => null,
      setPendingCallSession: async () => {},
    },
    defaults: {},
    crmAuth: () => ({ type: 'webhook', url: 'https://shop.bitrix24.ru/rest/1/unused/' }),
    voiceCallbackUrl: () => 'https://app.example/voice/x',
    logger: createLogger({ level: 'silent' }),
    now: () => clock.at,
  });
}

describe('PortalTenants', () => {
  it('gives portals with the same settings one config, and a portal with others its own', async () => {
    const portals = await portalsWith(4, (i) => ({ shopName: 'Shop', maxAttempts: i === 3 ? 2 : 3 }));
    const tenants = tenantsOf(portals, { at: 0 });
    const configs = await Promise.all(
      ['m0', 'm1', 'm2', 'm3'].map(async (id) => (await tenants.get(id))?.config),
    );
    expect(configs[0]?.maxAttempts).toBe(3);
    expect(configs[1]).toBe(configs[0]);
    expect(configs[2]).toBe(configs[0]);
    expect(configs[3]).not.toBe(configs[0]);
    expect(configs[3]?.maxAttempts).toBe(2);
    // Shared, so no one portal's code may change it for the others.
    expect(Object.isFrozen(configs[0]?.hours)).toBe(true);
  });

  it('lets 500 portals used once and then idle go: none kept', async () => {
    const clock = { at: 0 };
    const portals = await portalsWith(500, () => ({ shopName: 'Shop' }));
    const tenants = tenantsOf(portals, clock);
    for (let i = 0; i < 500; i++) expect(await tenants.get(`m${i}`)).not.toBeNull();
    expect(tenants.size).toBe(500);
    clock.at = 5 * 60_000;
    await tenants.get('m7'); // one still in use
    clock.at = 11 * 60_000;
    tenants.evictIdle(10 * 60_000);
    expect(tenants.size).toBe(1);
  });
});
