import { ManualClock } from '@prozvon/testkit';
import { describe, expect, it } from 'vitest';
import { PortalClients } from '../../src/oauth/portal-clients.js';
import { PortalTokenRefresher } from '../../src/oauth/token-refresher.js';
import { MemoryPortalStore } from '../../src/portals/memory-portal-store.js';
import type { Portal } from '../../src/portals/portal-store.js';
import { install, T0 } from '../portals/portal-store-contract.js';

const app = { clientId: 'local.abc', clientSecret: 'secret-123' };

describe('PortalClients: a client per portal, built on use, dropped when idle or over the cap', () => {
  async function setUp() {
    const clock = new ManualClock(T0);
    const store = new MemoryPortalStore();
    const refresher = new PortalTokenRefresher({ store, app, clock });
    const clients = new PortalClients({ refresher, app, clock, maxClients: 3, idleMs: 60_000 });
    const portals: Portal[] = [];
    for (const id of ['a', 'b', 'c', 'd'])
      portals.push((await store.upsertInstall(install(`member-${id}`))).portal);
    return { clock, store, clients, portals: portals as [Portal, Portal, Portal, Portal] };
  }

  it('hands out the same client for a portal until a newer install or endpoint replaces it', async () => {
    const { store, clients, portals } = await setUp();
    const [a] = portals;
    const first = clients.forPortal(a);
    expect(clients.forPortal(a)).toBe(first);
    const reinstalled = (await store.upsertInstall(install('member-a', { at: T0 + 1 }))).portal;
    const second = clients.forPortal(reinstalled);
    expect(second).not.toBe(first);
    // A portal read before the reinstall does not bring the old client back.
    expect(clients.forPortal(a)).toBe(second);
    const moved = { ...reinstalled, clientEndpoint: 'https://renamed.bitrix24.ru/rest/' };
    expect(clients.forPortal(moved)).not.toBe(second);
    expect(clients.size).toBe(1);
  });

  it('keeps at most the cap, dropping the least recently used, and drops idle clients', async () => {
    const { clock, clients, portals } = await setUp();
    const [a, b, c, d] = portals;
    const clientA = clients.forPortal(a);
    clients.forPortal(b);
    clients.forPortal(c);
    clock.advance(1_000);
    expect(clients.forPortal(a)).toBe(clientA); // a is now the most recent; b the least
    clients.forPortal(d);
    expect(clients.size).toBe(3);
    expect(clients.forPortal(a)).toBe(clientA);
    clock.advance(60_000);
    clients.forPortal(d); // everything else idle a minute: dropped
    expect(clients.size).toBe(1);
    expect(clients.forPortal(a)).not.toBe(clientA);
    clients.forget(a.memberId);
    expect(clients.size).toBe(1);
  });
});
